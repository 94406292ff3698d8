import type { Db } from '../store/database';
import { wallSeconds } from '../store/fingerprint';
import { recordFromRow } from '../store/record-columns';
import type { ReconRecord } from './types';

/** Stored records with their provenance, for reconciliation and search. `where` filters them
 *  with named parameters over the records table (alias r). */
export function loadRecords(db: Db, where?: { sql: string; params: Record<string, unknown> }): ReconRecord[] {
  const rows = db
    .prepare(
      `SELECT r.*, i.file_name, i.sheet FROM records r JOIN imports i ON i.id = r.import_id
       ${where ? `WHERE ${where.sql}` : ''} ORDER BY r.txn_time, r.id`,
    )
    .all(where?.params ?? {}) as Array<Record<string, unknown>>;
  return rows.map((row) => {
    const { record } = recordFromRow(row);
    return {
      ...record,
      id: row.id as number,
      fp: row.fp as number,
      file: row.file_name as string,
      sheet: (row.sheet as string | null) ?? null,
      row: row.row_no as number,
      ts: wallSeconds(record.txnTime),
    };
  });
}
