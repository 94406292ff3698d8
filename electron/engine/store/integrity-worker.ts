// Worker-thread entry: SQLite's integrity check over a read-only connection of its own, while the
// opening thread reads (openDatabaseCheckingMeanwhile). Posts the problems found (none: []).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { integrityProblems } from './database';

const { path, nativeBinding } = workerData as { path: string; nativeBinding: string | null };

let problems: string[];
try {
  const db = new Database(path, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    problems = integrityProblems(db);
  } finally {
    db.close();
  }
} catch (err) {
  // A file too damaged to open is a finding, not a failure of the check.
  const code = (err as { code?: string }).code;
  if (code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') throw err;
  problems = [(err as Error).message];
}
parentPort!.postMessage(problems);
