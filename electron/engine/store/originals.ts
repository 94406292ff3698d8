import type { Db } from './database';
import { cellsOfRow } from './record-columns';

/** A stored record's original row: its cells as the file had them, and the file they came from. */
export interface Original<R> {
  record: R;
  fileName: string;
  /** The kept copy's name in the file store. */
  storedName: string;
  sha256: string;
  size: number;
  cells: string[];
}

/** The original rows of the given records, in their order. */
export function originalsOf<R extends { id: number }>(db: Db, records: readonly R[]): Original<R>[] {
  const stmt = db.prepare(
    `SELECT r.raw, r.f, i.file_name, f.stored_name, f.sha256, f.size FROM records r
     JOIN imports i ON i.id = r.import_id JOIN files f ON f.sha256 = i.file_sha256 WHERE r.id = ?`,
  );
  return records.map((record) => {
    const row = stmt.get(record.id) as {
      raw: string;
      f: string;
      file_name: string;
      stored_name: string;
      sha256: string;
      size: number;
    };
    return {
      record,
      fileName: row.file_name,
      storedName: row.stored_name,
      sha256: row.sha256,
      size: row.size,
      cells: cellsOfRow(row),
    };
  });
}
