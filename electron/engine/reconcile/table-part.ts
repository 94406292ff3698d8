import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Db } from '../store/database';
import type { RecordTable, TableBuilder, TableColumns } from './table';

// Reading a part of the record table on another thread (loadTable, table-worker): the request, the
// answer, and the page reads both threads make.

/** Rows read per statement: one call per batch of rows costs less than a step per row. */
const PAGE = 2000;
/** How long a part read on another thread is waited for before the loading thread reads it instead. */
const PART_WAIT_MS = 300_000;

/** What identifies a snapshot of the records: their count and id range, and the imports (every
 *  change to the records is an import or its undoing). */
export const SNAPSHOT_SQL = `SELECT (SELECT count(*) FROM record_rows) AS n,
  (SELECT coalesce(min(id), 0) FROM record_rows) AS low, (SELECT coalesce(max(id), -1) FROM record_rows) AS high,
  (SELECT group_concat(id || ' ' || imported_at) FROM imports) AS imports`;
export interface Snapshot {
  n: number;
  low: number;
  high: number;
  imports: string | null;
}

/**
 * A stored row as the loader reads it: one text of its numbers and its fields JSON
 * (TableBuilder.addStoredLine). As seven values, better-sqlite3 made an array of each row and set
 * its elements one property at a time: reading a million rows took 0.96–1.27 s, and 0.65 s as one
 * text (by hand).
 */
const STORED_LINE = `id || ' ' || fp || ' ' || codes || ' ' || ifnull(amount_fen, '') || ' ' || ifnull(fee_fen, '') || ' ' ||
  ifnull(net_fen, '') || ' ' || f`;

/** Adds the stored rows with ids in (after, upTo] to a table, in id order. */
export function readPages(db: Db, builder: TableBuilder, after: number, upTo: number): void {
  const page = db
    .prepare(`SELECT ${STORED_LINE} FROM record_rows WHERE id > ? AND id <= ? ORDER BY id LIMIT ${PAGE}`)
    .pluck(true);
  for (let last = after; ; ) {
    const lines = page.all(last, upTo) as string[];
    for (const line of lines) last = builder.addStoredLine(line);
    if (lines.length < PAGE) break;
  }
}

/** A part of the table for the table worker to read: ids in (after, upTo], into rows from `row`
 *  of the shared columns. */
export interface PartRequest {
  path: string;
  nativeBinding: string | null;
  columns: TableColumns;
  row: number;
  after: number;
  upTo: number;
}
/** The worker's answer: its snapshot, how many rows it filled and the texts their ids point at. */
export type PartAnswer =
  | { snapshot: Snapshot; rows: number; texts: string[]; bankText: RecordTable['bankText'] }
  | { error: string };
/** What the worker is started with: the part, a port for its answer and a flag it raises once it
 *  has posted it. */
export interface PartSetup extends PartRequest {
  port: MessagePort;
  done: Int32Array;
}

/** Starts reading a part on a worker; result() waits for it without returning to the event loop
 *  (a load is synchronous, inside its caller's transaction). Null: no answer in time. */
export function readOnWorker(script: string, request: PartRequest): { result(): PartAnswer | null } {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(script, {
    workerData: { ...request, port: port2, done } satisfies PartSetup,
    transferList: [port2],
  });
  worker.unref();
  return {
    result() {
      try {
        if (Atomics.wait(done, 0, 0, PART_WAIT_MS) === 'timed-out') return null;
        return (receiveMessageOnPort(port1)?.message as PartAnswer | undefined) ?? null;
      } finally {
        port1.close();
        void worker.terminate();
      }
    },
  };
}
