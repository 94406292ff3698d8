import type { Db } from '../store/database';
import { recordFromStored, STORED_SELECT } from '../store/record-columns';
import { type RecordTable, TableBuilder } from './table';
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

/** Rows read per statement: one call per batch of rows costs less than a step per row. */
const PAGE = 2000;

/** Every stored record as a table, in storage order. The count and the pages are read in one
 *  transaction (a savepoint within the caller's), so rows another connection commits meanwhile
 *  are in neither. */
export function loadTable(db: Db): RecordTable {
  return db.transaction(() => {
    const { n } = db.prepare('SELECT count(*) AS n FROM record_rows').get() as { n: number };
    const builder = new TableBuilder(n);
    const page = db
      .prepare(
        `SELECT id, fp, codes, amount_fen, fee_fen, net_fen, f FROM record_rows WHERE id > ? ORDER BY id LIMIT ${PAGE}`,
      )
      .raw(true);
    for (let last = 0; ; ) {
      const rows = page.all(last) as Array<
        [number, number, number, number | null, number | null, number | null, string]
      >;
      for (const c of rows) builder.addStored(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
      if (rows.length < PAGE) break;
      last = rows[rows.length - 1]![0];
    }
    return builder.finish();
  })();
}
