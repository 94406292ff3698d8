// Worker-thread entry: reads a part of the stored records into the shared columns of the table
// the opening thread is loading (loadTable), over a read-only connection of its own, so that the
// two halves of a large table are read on two cores. Always answers, and raises the flag the
// opening thread waits on, whatever goes wrong.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { beginMappedReads } from '../store/database';
import { TableBuilder } from './table';
import { type PartAnswer, type PartSetup, readPages, SNAPSHOT_SQL, type Snapshot } from './table-part';

const { path, nativeBinding, columns, row, after, upTo, port, done } = workerData as PartSetup;

let answer: PartAnswer;
try {
  const db = new Database(path, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
  beginMappedReads(db);
  try {
    answer = db.transaction(() => {
      const snapshot = db.prepare(SNAPSHOT_SQL).get() as Snapshot;
      const builder = new TableBuilder(columns, row);
      readPages(db, builder, after, upTo);
      const part = builder.finish();
      return { snapshot, rows: part.length - row, texts: part.texts, bankText: part.bankText };
    })();
  } finally {
    db.close();
  }
} catch (err) {
  answer = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
port.postMessage(answer);
Atomics.store(done, 0, 1);
Atomics.notify(done, 0);
