import { join } from 'node:path';
import { importFile } from '../../electron/engine/import/import-file';
import { runReconcile } from '../../electron/engine/reconcile/cases';
import { type Db, openDatabase } from '../../electron/engine/store/database';
import { fileStoreDir } from '../../electron/engine/store/paths';
import { type DayFiles, writeDayFiles } from '../fixtures/day';

/** A database in dir holding the day's three exports, imported and reconciled. */
export async function reconciledDay(
  dir: string,
): Promise<{ dbPath: string; db: Db; files: DayFiles; fileStore: string }> {
  const dbPath = join(dir, 'p.sqlite');
  const db = openDatabase(dbPath);
  const files = writeDayFiles(dir);
  for (const path of Object.values(files)) await importFile(db, fileStoreDir(dbPath), { path });
  runReconcile(db);
  return { dbPath, db, files, fileStore: fileStoreDir(dbPath) };
}
