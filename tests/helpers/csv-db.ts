import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ImportOutcome, importFile } from '../../electron/engine/import/import-file';
import { type Db, openDatabase } from '../../electron/engine/store/database';
import { fileStoreDir } from '../../electron/engine/store/paths';

/** Header rows of a terminal export and a settlement detail that the presets recognise. */
export const TERMINAL = '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,凭证号,批次号,参考号,交易状态';
export const SETTLEMENT =
  '清算日期,交易时间,商户号,终端号,参考号,凭证号,批次号,卡号,卡类型,交易类型,交易金额,手续费,结算金额';

/** A new database in dir, and an import of a text export given line by line. */
export function csvDb(dir: string): {
  db: Db;
  dbPath: string;
  importLines: (name: string, lines: string[]) => Promise<ImportOutcome>;
} {
  const dbPath = join(dir, 'p.sqlite');
  const db = openDatabase(dbPath);
  const importLines = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join('\n'));
    return importFile(db, fileStoreDir(dbPath), { path });
  };
  return { db, dbPath, importLines };
}
