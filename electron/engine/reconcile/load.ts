import type { Db } from '../store/database';
import { wallSeconds } from '../store/fingerprint';
import { recordFromStored } from '../store/record-columns';
import type { ReconRecord } from './types';

// The file of each record is looked up in a map of the imports: a name read per record would be
// a string made two million times over.
const SELECT =
  'SELECT r.id, r.fp, r.row_no, r.import_id, r.codes, r.amount_fen, r.fee_fen, r.net_fen, r.f FROM records r';

/**
 * Stored records with their provenance, for reconciliation and search, in storage order. `where`
 * filters them with named parameters over the records view (alias r).
 */
export function loadRecords(db: Db, where?: { sql: string; params: Record<string, unknown> }): ReconRecord[] {
  const stmt = db.prepare(`${SELECT} ${where ? `WHERE ${where.sql}` : ''} ORDER BY r.id`).raw(true);
  const out: ReconRecord[] = [];
  // Terminal, merchant, batch, dates and file names repeat across millions of records: keep one
  // copy of each instead of one per record.
  const pool = new Map<string, string>();
  const shared = (v: string | null): string | null => {
    if (v === null) return null;
    const known = pool.get(v);
    if (known !== undefined) return known;
    if (pool.size < 1_000_000) pool.set(v, v);
    return v;
  };
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
    const file = files.get(c[3] as number)!;
    const r = recordFromStored({
      codes: c[4] as number,
      amount_fen: c[5] as number | null,
      fee_fen: c[6] as number | null,
      net_fen: c[7] as number | null,
      f: c[8] as string,
    }) as ReconRecord;
    r.id = c[0] as number;
    r.fp = c[1] as number;
    r.row = c[2] as number;
    r.file = file.file_name;
    r.sheet = file.sheet;
    r.ts = wallSeconds(r.txnTime);
    r.clearDate = shared(r.clearDate);
    r.merchantNo = shared(r.merchantNo);
    r.merchantName = shared(r.merchantName);
    r.terminalNo = shared(r.terminalNo);
    r.cardLast4 = shared(r.cardLast4);
    r.batch = shared(r.batch);
    out.push(r);
  }
  return out;
}
