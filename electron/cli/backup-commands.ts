import { backupDir, backupNow, listBackups, restoreBackup } from '../engine/store/backup';
import { DatabaseRefusedError, type Db } from '../engine/store/database';
import type { Values } from './args';
import { EXIT, type Lang } from './output';
import { UsageError } from './usage';

export async function runBackup(db: Db, dbPath: string, values: Values, lang: Lang): Promise<number> {
  const dir = values.out ?? backupDir(dbPath);
  const file = await backupNow(db, dir);
  process.stdout.write(lang === 'zh' ? `已备份到 ${file}\n` : `Backed up to ${file}\n`);
  const all = listBackups(dir);
  process.stdout.write(
    lang === 'zh' ? `  共保留 ${all.length} 份备份。\n` : `  ${all.length} backups kept.\n`,
  );
  return EXIT.ok;
}

/** Runs with the database closed: the backup is checked, then replaces it. */
export function runRestore(dbPath: string, positionals: string[], lang: Lang): number {
  const [file] = positionals;
  if (!file)
    throw new UsageError('restore: give the backup file (see the .backups folder beside the database)');
  try {
    const kept = restoreBackup(dbPath, file);
    process.stdout.write(
      lang === 'zh'
        ? `已从 ${file} 恢复。原数据库保留为 ${kept}\n`
        : `Restored from ${file}. The previous database is kept as ${kept}\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof DatabaseRefusedError) {
      process.stderr.write(`${err[lang]}\n`);
      return EXIT.database;
    }
    throw err;
  }
}
