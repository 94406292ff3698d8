import { readFileSync, writeFileSync } from 'node:fs';
import type { Db } from '../../electron/engine/store/database';

/** Appends a table and its index of `rows` 60-byte lines to a database, checkpointed into the main
 *  file and closed, so that its last pages hold only them: pages a test can damage without touching
 *  the records. */
export function addFillerAndClose(db: Db, rows: number): void {
  db.exec('CREATE TABLE filler (x TEXT); CREATE INDEX filler_x ON filler(x);');
  const ins = db.prepare('INSERT INTO filler VALUES (?)');
  for (let i = 0; i < rows; i++) ins.run(`row ${i} ${'x'.repeat(50)}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Alters the keys in the leaf pages of the filler index (b-tree page type 10) of the database
 *  file at `path`: every page stays well formed and the records read as before, but the index no
 *  longer matches its table. Returns the file's new bytes and how many keys were altered. */
export function alterFillerIndexKeys(path: string): { bytes: Buffer; altered: number } {
  const bytes = readFileSync(path);
  const pageSize = bytes.readUInt16BE(16);
  let altered = 0;
  for (let page = pageSize; page < bytes.length; page += pageSize) {
    if (bytes[page] !== 10) continue;
    for (
      let at = bytes.indexOf('xxxx', page);
      at >= 0 && at < page + pageSize;
      at = bytes.indexOf('xxxx', at + 4)
    ) {
      bytes.write('yyyy', at);
      altered++;
    }
  }
  writeFileSync(path, bytes);
  return { bytes, altered };
}
