import type { Db } from '../store/database';
import { wallSeconds } from '../store/fingerprint';
import { recordFromRow } from '../store/record-columns';
import type { ReconRecord } from './types';

/** Every stored record with its provenance, for reconciliation. */
export function loadRecords(db: Db): ReconRecord[] {
  const rows = db
    .prepare(
      `SELECT r.*, i.file_name, i.sheet FROM records r JOIN imports i ON i.id = r.import_id ORDER BY r.txn_time, r.id`,
    )
    .all() as Array<Record<string, unknown>>;
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
