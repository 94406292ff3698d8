import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'posrecon.cjs');

/** Runs the built command line as a user would, in English unless told otherwise. */
export function posrecon(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, POSRECON_LANG: 'en', ...env },
  });
}

export function posreconAsync(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, POSRECON_LANG: 'en', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
