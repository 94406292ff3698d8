import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  backupDir,
  backupNow,
  dailyBackup,
  listBackups,
  restoreBackup,
} from '../../../../electron/engine/store/backup';
import { DatabaseRefusedError, openDatabase } from '../../../../electron/engine/store/database';
import { thrown } from '../../../helpers/errors';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

const settingsCount = (path: string) => {
  const db = openDatabase(path);
  const n = (db.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n;
  db.close();
  return n;
};

describe('backups', () => {
  it('copies a consistent database, keeps the newest 14, and makes one daily backup a day', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'p.sqlite');
    const db = openDatabase(dbPath);
    db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('k', '1', 'now')").run();
    const folder = backupDir(dbPath);
    // The first daily backup of a day is made; a second the same day is not.
    const daily = join(dir, 'daily');
    const made = await dailyBackup(db, daily);
    expect(made && listBackups(daily)).toEqual([made]);
    expect(await dailyBackup(db, daily)).toBeNull();
    const first = await backupNow(db, folder);
    expect(basename(first)).toMatch(/^posrecon-\d{8}-\d{6}\.sqlite$/);
    expect(settingsCount(first)).toBe(1);

    // Sixteen older backups: only the newest 14 survive the next one.
    for (let i = 1; i <= 16; i++)
      writeFileSync(join(folder, `posrecon-202601${String(i).padStart(2, '0')}-080000.sqlite`), 'x');
    await backupNow(db, folder); // the default keeps 14
    const kept = listBackups(folder);
    expect(kept).toHaveLength(14);
    expect(basename(kept[0]!)).toBe('posrecon-20260105-080000.sqlite');
    expect(await dailyBackup(db, folder)).toBeNull(); // today's exists already
    db.close();
  });

  it('a restore checks the backup first, and keeps the database it replaces', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'p.sqlite');
    const db = openDatabase(dbPath);
    const backup = await backupNow(db, backupDir(dbPath));
    db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('later', '1', 'now')").run();
    db.close();

    const damaged = join(dir, 'damaged.sqlite');
    const bytes = Buffer.from(readFileSync(backup));
    bytes.fill(0x41, 100, 4096); // the schema's b-tree page
    writeFileSync(damaged, bytes);
    const before = readFileSync(dbPath);
    expect(thrown(() => restoreBackup(dbPath, damaged), DatabaseRefusedError).zh).toContain('未做任何替换');
    const notOurs = join(dir, 'other.sqlite');
    writeFileSync(notOurs, 'hello');
    thrown(() => restoreBackup(dbPath, notOurs), DatabaseRefusedError);
    expect(readFileSync(dbPath).equals(before)).toBe(true);

    const kept = restoreBackup(dbPath, backup);
    expect(settingsCount(dbPath)).toBe(0);
    expect(settingsCount(kept)).toBe(1);
  });
});
