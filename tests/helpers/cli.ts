import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type DayFiles, writeDayFiles } from '../fixtures/day';

const BIN = join(__dirname, '..', '..', 'bin', 'posrecon.cjs');

/** Runs the built command line as a user would, in English unless told otherwise. */
export function posrecon(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs?: number,
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, POSRECON_LANG: 'en', ...env },
    ...(timeoutMs ? { timeout: timeoutMs } : {}),
  });
}

export function posreconAsync(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, POSRECON_LANG: 'en', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The day's three exports written into dir (`edit` may change them first) and imported by the
 *  command line into a new database there; its path. */
export function importedDay(dir: string, edit?: (files: DayFiles) => void): string {
  const db = join(dir, 'p.sqlite');
  const files = writeDayFiles(dir);
  edit?.(files);
  expect(posrecon(['import', files.terminal, files.settlement, files.statement, '--db', db]).status).toBe(0);
  return db;
}
