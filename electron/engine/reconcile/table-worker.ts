// Worker-thread entry: reads blocks of the stored records into the shared columns of the table the
// opening thread is loading (loadTable), in turns with it, over a read-only connection of its own,
// so that a large table is read on two cores. Always answers, and raises the flag the opening
// thread waits on, whatever goes wrong.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { TableBuilder } from './table';
import {
  type PartAnswer,
  type PartSetup,
  readBlocks,
  SNAPSHOT_SQL,
  type Snapshot,
  WORKER,
} from './table-part';

const { path, nativeBinding, columns, blocks, port, done } = workerData as PartSetup;

let answer: PartAnswer;
try {
  const db = new Database(path, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    answer = db.transaction(() => {
      const snapshot = db.prepare(SNAPSHOT_SQL).get() as Snapshot;
      const builder = new TableBuilder(columns);
      readBlocks(db, builder, blocks, WORKER);
      const part = builder.finish();
      return { snapshot, texts: part.texts, bankText: part.bankText, textKeys: builder.textKeys };
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
