import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Db } from '../store/database';
import type { RecordTable, TableBuilder, TableColumns } from './table';

// Reading the record table on two threads (loadTable, table-worker): the blocks they take turns
// at, the request, the answer, and the page reads both threads make.

/** Rows read per statement: one call per batch of rows costs less than a step per row. */
const PAGE = 2000;
/** How long the worker's answer is waited for before the loading thread reads the table alone. */
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
 * text (by hand). Made by concat_ws rather than a chain of ||, which makes a string at each step:
 * SQLite alone made the two million texts in 0.71–0.72 s against 0.98–1.02 s (by hand). Without the
 * fingerprint, which only manual links need (loadManualLinks finds their records by it): sixteen
 * digits a row to write and read, and a column, for nothing.
 */
const STORED_LINE = `concat_ws(' ', id, codes, ifnull(amount_fen, ''), ifnull(fee_fen, ''), ifnull(net_fen, ''), f)`;

/** Adds the stored rows with ids in (after, upTo] to a table, in id order; returns how many. */
export function readPages(db: Db, builder: TableBuilder, after: number, upTo: number): number {
  const page = db
    .prepare(`SELECT ${STORED_LINE} FROM record_rows WHERE id > ? AND id <= ? ORDER BY id LIMIT ${PAGE}`)
    .pluck(true);
  let added = 0;
  for (let last = after; ; ) {
    const lines = page.all(last, upTo) as string[];
    for (const line of lines) last = builder.addStoredLine(line);
    added += lines.length;
    if (lines.length < PAGE) return added;
  }
}

/** Ids per block: the thread that runs out of blocks first waits at most about one block's read
 *  for the other (0–80 ms in four runs on the benchmark's records, by hand). */
export const BLOCK_IDS = 65_536;

/** Who read a block. */
export const LOADER = 1;
export const WORKER = 2;

/**
 * The records' ids (low..high) cut into blocks of `size` ids that two threads take in turns,
 * whichever is free first, each reading a block into the shared columns from row (block × size)
 * on, where its rows would stand if the ids ran without gaps. `state`, in shared memory: the next
 * block to take, then per block the rows read from it and who read them (LOADER, WORKER). Halves by
 * id were uneven: a terminal export's rows carry a merchant name, which makes each text read two
 * bytes a character, and the half that held them took 1.8–2.3 s against 1.5–1.7 s (by hand).
 */
export interface Blocks {
  low: number;
  high: number;
  size: number;
  state: Int32Array;
}

export function sharedBlocks(low: number, high: number, size = BLOCK_IDS): Blocks {
  const count = Math.ceil((high - low + 1) / size);
  return { low, high, size, state: new Int32Array(new SharedArrayBuffer(4 * (1 + 2 * count))) };
}

const blockCount = (blocks: Blocks) => (blocks.state.length - 1) / 2;

/** Reads blocks into the builder (over columns shared with the other thread) until none is left. */
export function readBlocks(db: Db, builder: TableBuilder, blocks: Blocks, reader: number): void {
  const count = blockCount(blocks);
  for (let k = Atomics.add(blocks.state, 0, 1); k < count; k = Atomics.add(blocks.state, 0, 1))
    readBlock(db, builder, blocks, k, reader);
}

/** Reads block k into the builder. */
export function readBlock(db: Db, builder: TableBuilder, blocks: Blocks, k: number, reader: number): void {
  const { low, high, size, state } = blocks;
  const from = k * size;
  builder.seek(from);
  state[1 + 2 * k] = readPages(db, builder, low - 1 + from, Math.min(high, low - 1 + from + size));
  state[2 + 2 * k] = reader;
}

/** The blocks in row order: where each starts, its rows and whether the worker read it. Read once
 *  both threads are done. */
export function blockParts(blocks: Blocks): Array<{ from: number; rows: number; byWorker: boolean }> {
  return Array.from({ length: blockCount(blocks) }, (_, k) => ({
    from: k * blocks.size,
    rows: blocks.state[1 + 2 * k]!,
    byWorker: blocks.state[2 + 2 * k] === WORKER,
  }));
}

/** What the table worker is asked: the columns to fill and the blocks to take turns at. */
export interface PartRequest {
  path: string;
  nativeBinding: string | null;
  columns: TableColumns;
  blocks: Blocks;
}
/** The worker's answer: its snapshot, the texts its rows' ids point at and the fields whose keys
 *  were texts' (TableBuilder.textKeys). */
export type PartAnswer =
  | { snapshot: Snapshot; texts: string[]; bankText: RecordTable['bankText']; textKeys: number }
  | { error: string };
/** What the worker is started with: the request, a port for its answer and a flag it raises once
 *  it has posted it. */
export interface PartSetup extends PartRequest {
  port: MessagePort;
  done: Int32Array;
}

/** Starts the worker; result() waits for its answer without returning to the event loop (a load is
 *  synchronous, inside its caller's transaction). Null: no answer in time. */
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
