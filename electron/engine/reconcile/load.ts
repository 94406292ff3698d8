import { type Db, nativeBindingOf } from '../store/database';
import { recordFromStored, STORED_SELECT } from '../store/record-columns';
import { bundledWorker } from '../workers';
import { type RecordTable, TableBuilder, tableColumns } from './table';
import {
  BLOCK_IDS,
  blockParts,
  LOADER,
  readBlocks,
  readOnWorker,
  readPages,
  SNAPSHOT_SQL,
  type Snapshot,
  sharedBlocks,
} from './table-part';
import type { ReconRecord } from './types';

/**
 * Stored records with their provenance, for reconciliation and search, in storage order. `where`
 * filters them with named parameters over the records view (alias r).
 */
export function loadRecords(db: Db, where?: { sql: string; params: Record<string, unknown> }): ReconRecord[] {
  const stmt = db
    .prepare(`SELECT ${STORED_SELECT} FROM records r ${where ? `WHERE ${where.sql}` : ''} ORDER BY r.id`)
    .raw(true);
  const out: ReconRecord[] = [];
  // Terminal, merchant, batch, dates and file names repeat across millions of records: keep one
  // copy of each instead of one per record.
  const pool = new Map<string, string>();
  const share = (v: string | null): string | null => {
    if (v === null) return null;
    const known = pool.get(v);
    if (known !== undefined) return known;
    if (pool.size < 1_000_000) pool.set(v, v);
    return v;
  };
  // The file of each record is looked up in a map of the imports: a name read per record would be
  // a string made two million times over.
  const files = new Map(
    (
      db.prepare('SELECT id, file_name, sheet FROM imports').all() as Array<{
        id: number;
        file_name: string;
        sheet: string | null;
      }>
    ).map((i) => [i.id, i]),
  );
  for (const c of stmt.iterate(where?.params ?? {}) as Iterable<unknown[]>) {
    out.push(recordFromStored(c, files.get(c[3] as number)!, share));
  }
  return out;
}

/** The stored records with these ids, by id (an id no record has is left out). */
export function recordsById(db: Db, ids: readonly number[]): Map<number, ReconRecord> {
  const byId = new Map<number, ReconRecord>();
  if (ids.length === 0) return byId;
  const where = { sql: 'r.id IN (SELECT value FROM json_each(:ids))', params: { ids: JSON.stringify(ids) } };
  for (const r of loadRecords(db, where)) byId.set(r.id, r);
  return byId;
}

/** Records below which the whole table is read on this thread: starting a worker and its
 *  connection takes about a tenth of a second. */
const PARALLEL_FROM = 200_000;

/**
 * Every stored record as a table, in storage order. The count and the pages are read in one
 * transaction (a savepoint within the caller's), so rows another connection commits meanwhile
 * are in neither.
 *
 * A large table is read on two threads, the second a worker over a read-only connection of its
 * own (`script`, the bundled table worker), straight into shared columns, each taking the next
 * block of ids whenever it is free (table-part.ts): reading two million records took 3.9 s on one
 * thread and 1.9–2.7 s on two (by hand, as this machine's pace varied). That connection's snapshot must be this one's: when
 * another connection committed in between (the snapshots' imports or counts differ), or the worker
 * fails, the table is read here after all.
 */
export function loadTable(
  db: Db,
  script = bundledWorker('table-worker'),
  parallelFrom = PARALLEL_FROM,
  blockIds = BLOCK_IDS,
): RecordTable {
  return db.transaction(() => {
    const shape = db.prepare(SNAPSHOT_SQL).get() as Snapshot;
    const { n, low, high } = shape;
    const span = high - low + 1;
    // Rows are written where they would fall if the ids ran without gaps; ids with many (imports
    // undone in between) would waste that much memory.
    if (!script || db.memory || n < parallelFrom || span > n * 1.1) return readTable(db, n);
    const columns = tableColumns(span, true);
    const blocks = sharedBlocks(low, high, blockIds);
    const worker = readOnWorker(script, {
      path: db.name,
      nativeBinding: nativeBindingOf(db),
      columns,
      blocks,
    });
    const builder = new TableBuilder(columns);
    readBlocks(db, builder, blocks, LOADER);
    const answer = worker.result();
    // An answer without textKeys is a worker of another build's (a stale one), whose keys could not
    // be taken over as they are.
    if (
      !answer ||
      'error' in answer ||
      typeof answer.textKeys !== 'number' ||
      JSON.stringify(answer.snapshot) !== JSON.stringify(shape)
    )
      return readTable(db, n);
    builder.closeUp(blockParts(blocks), answer.texts, answer.bankText, answer.textKeys);
    return builder.finish();
  })();
}

function readTable(db: Db, n: number): RecordTable {
  const builder = new TableBuilder(tableColumns(n));
  readPages(db, builder, 0, Number.MAX_SAFE_INTEGER);
  return builder.finish();
}
