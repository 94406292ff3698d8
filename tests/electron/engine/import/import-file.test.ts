import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportProgress, importFile } from '../../../../electron/engine/import/import-file';
import { openDatabase } from '../../../../electron/engine/store/database';
import { fileStoreDir } from '../../../../electron/engine/store/paths';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();
const HEADER =
  '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,手续费,结算金额,凭证号,批次号,参考号,授权码,交易状态';

describe('importFile', () => {
  it('reports progress while it reads a long file', async () => {
    const dir = tmp();
    const file = join(dir, 'pos.csv');
    const lines = [HEADER];
    for (let i = 0; i < 10_000; i++) {
      lines.push(
        `2026-11-05 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},898310058120001,12345678,622202******1234,借记卡,消费,${i + 1}.00,0.01,${i}.99,${String(i).padStart(6, '0')},000001,${String(i).padStart(12, '0')},123456,成功`,
      );
    }
    writeFileSync(file, lines.join('\n'));
    const db = openDatabase(join(dir, 'p.sqlite'));
    const seen: ImportProgress[] = [];
    const outcome = await importFile(db, fileStoreDir(join(dir, 'p.sqlite')), { path: file }, (p) =>
      seen.push(p),
    );
    expect(outcome.ok && outcome.result.stored).toBe(10_000);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.map((p) => p.rowsRead)).toEqual([...seen.map((p) => p.rowsRead)].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ fileName: 'pos.csv', rowsRead: 10_000, stored: 10_000 });
  });

  it('explains a file that cannot be opened, and changes nothing', async () => {
    const dir = tmp();
    const db = openDatabase(join(dir, 'p.sqlite'));
    const outcome = await importFile(db, fileStoreDir(join(dir, 'p.sqlite')), {
      path: join(dir, '不存在.csv'),
    });
    expect(outcome).toMatchObject({
      ok: false,
      fileName: '不存在.csv',
      error: {
        code: 'cannot_open',
        zh: expect.stringContaining('文件不存在'),
        en: expect.stringContaining('no such file'),
      },
    });
    const folder = await importFile(db, fileStoreDir(join(dir, 'p.sqlite')), { path: dir });
    expect(folder).toMatchObject({
      ok: false,
      error: { en: expect.stringContaining('this is a folder, not a file') },
    });
    expect(db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });
  });
});
