import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { localNow } from '../time';
import { DatabaseRefusedError, type Db, integrityProblems, type OpenOptions } from './database';

// Backups through SQLite's online backup API (consistent while the app keeps working): one a day
// automatically, the last 14 kept, and more on demand. A restore is checked before it replaces
// anything, and the database it replaces is kept beside it.

const KEEP_BACKUPS = 14;
const NAME = /^posrecon-(\d{8})-(\d{6})\.sqlite$/;

/** The backup folder beside a database: posrecon.sqlite → posrecon.sqlite.backups/. */
export const backupDir = (dbPath: string) => `${dbPath}.backups`;

function stamp(): string {
  return localNow()
    .replace(/[-: ]/g, '')
    .replace(/^(\d{8})(\d{6})$/, '$1-$2');
}

export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => NAME.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Copies the database into the backup folder now; returns the backup's path. */
export async function backupNow(db: Db, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  let target = join(dir, `posrecon-${stamp()}.sqlite`);
  // Two backups within one second: wait for the next second's name rather than overwrite.
  while (existsSync(target)) {
    await new Promise((r) => setTimeout(r, 250));
    target = join(dir, `posrecon-${stamp()}.sqlite`);
  }
  const partial = `${target}.partial`;
  await db.backup(partial);
  renameSync(partial, target);
  for (const old of listBackups(dir).slice(0, -KEEP_BACKUPS)) rmSync(old, { force: true });
  return target;
}

/** The daily backup: made when none exists for today yet. */
export async function dailyBackup(db: Db, dir: string): Promise<string | null> {
  const today = stamp().slice(0, 8);
  if (listBackups(dir).some((f) => basename(f).startsWith(`posrecon-${today}-`))) return null;
  return backupNow(db, dir);
}

/**
 * Replaces the database with a backup after checking the backup's integrity. The database must be
 * closed. The replaced file is kept as `<db>.before-restore-<time>` so a wrong choice can be undone.
 */
export function restoreBackup(
  dbPath: string,
  backup: string,
  options: Pick<OpenOptions, 'nativeBinding'> = {},
): string {
  const check = new Database(backup, {
    readonly: true,
    fileMustExist: true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    const problems = integrityProblems(check);
    const tables = check
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'schema_migrations'")
      .get() as {
      n: number;
    };
    if (problems.length > 0 || tables.n === 0) {
      throw new DatabaseRefusedError(
        'corrupt',
        `备份文件已损坏或不是 PosRecon 备份，未做任何替换：${backup}`,
        `The backup is damaged or not a PosRecon backup; nothing was replaced: ${backup}`,
      );
    }
  } catch (err) {
    if (err instanceof DatabaseRefusedError) throw err;
    throw new DatabaseRefusedError(
      'not_a_database',
      `无法读取备份文件，未做任何替换：${backup}`,
      `The backup cannot be read; nothing was replaced: ${backup}`,
    );
  } finally {
    check.close();
  }
  const kept = `${dbPath}.before-restore-${stamp()}`;
  if (existsSync(dbPath)) renameSync(dbPath, kept);
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  mkdirSync(dirname(dbPath), { recursive: true });
  const partial = `${dbPath}.restoring`;
  copyFileSync(backup, partial);
  renameSync(partial, dbPath);
  return kept;
}
