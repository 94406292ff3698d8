import type { Db } from '../store/database';
import { wallSeconds } from '../store/fingerprint';
import { INSERT_COLUMNS, recordFromRow } from '../store/record-columns';
import type { ReconRecord } from './types';

/** Stored records with their provenance, for reconciliation and search. `where` filters them
 *  with named parameters over the records table (alias r). */
export function loadRecords(db: Db, where?: { sql: string; params: Record<string, unknown> }): ReconRecord[] {
  // Every column but the original cells, which reconciliation never needs.
  const columns = INSERT_COLUMNS.filter((c) => c !== 'raw' && c !== 'import_id')
    .map((c) => `r.${c}`)
    .join(', ');
  const stmt = db.prepare(
    `SELECT r.id, ${columns}, i.file_name, i.sheet FROM records r JOIN imports i ON i.id = r.import_id
     ${where ? `WHERE ${where.sql}` : ''} ORDER BY r.txn_time, r.id`,
  );
  const out: ReconRecord[] = [];
  for (const row of stmt.iterate(where?.params ?? {}) as Iterable<Record<string, unknown>>) {
    const record = recordFromRow(row);
    out.push({
      ...record,
      id: row.id as number,
      fp: row.fp as number,
      file: row.file_name as string,
      sheet: (row.sheet as string | null) ?? null,
      row: row.row_no as number,
      ts: wallSeconds(record.txnTime),
    });
  }
  return out;
}
