import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A worker script bundled beside the code that starts it (the built command line and app), or
 *  null where there is none — the engine run from its TypeScript sources, as under the unit tests,
 *  where the work then runs on the calling thread. */
export function bundledWorker(name: 'parse-worker' | 'integrity-worker' | 'table-worker'): string | null {
  const file = join(__dirname, `${name}.js`);
  return existsSync(file) ? file : null;
}
