import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRegistry } from '../../../../electron/engine/api/files';
import { dispatch } from '../../../../electron/engine/api/handlers';
import { openDatabase } from '../../../../electron/engine/store/database';
import { testHandlers } from '../../../helpers/handlers';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

const HEADER = '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,凭证号,批次号,参考号,交易状态';

describe('import jobs', () => {
  it('report progress as they go, and a cancelled import leaves nothing behind', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'p.sqlite');
    const db = openDatabase(dbPath);
    const big = join(dir, 'big.csv');
    const lines = [HEADER];
    for (let i = 0; i < 60_000; i++) {
      const t = `2026-11-05 ${String(8 + (Math.floor(i / 3600) % 14)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
      lines.push(
        `${t},898310058120001,12345678,622202******${String(i % 10000).padStart(4, '0')},借记卡,消费,${(i % 500) + 1}.00,${String(i % 1e6).padStart(6, '0')},000001,${String(531e9 + i)},成功`,
      );
    }
    writeFileSync(big, lines.join('\n'));
    const files = new FileRegistry();
    const h = testHandlers(db, dbPath, 'x', files);
    const { fileId } = files.grant(big);

    const { jobId } = await h['imports.start']({ files: [{ fileId }] });
    let job = await h['jobs.get']({ jobId });
    while (job.state === 'running' && (job.progress?.rows ?? 0) === 0) {
      await new Promise((r) => setTimeout(r, 5));
      job = await h['jobs.get']({ jobId });
    }
    expect(job.progress).toMatchObject({ fileName: 'big.csv', fileIndex: 0, files: 1 });
    expect(job.progress!.rows).toBeGreaterThan(0);
    // Meanwhile, what would read half an import or be rolled back with it waits for the import.
    const importing = () => db.inTransaction;
    expect(await dispatch(h, 'overview.get', {}, importing)).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    expect(await dispatch(h, 'jobs.get', { jobId }, importing)).toMatchObject({ ok: true });
    expect(await h['jobs.cancel']({ jobId })).toEqual({ cancelled: true });
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 10));
      job = await h['jobs.get']({ jobId });
    }
    expect(job.state).toBe('cancelled');
    expect(db.prepare('SELECT count(*) AS n FROM records').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM imports').get()).toEqual({ n: 0 });

    // The same file imports in full afterwards: nothing of the cancelled attempt is in the way.
    const again = await h['imports.start']({ files: [{ fileId }] });
    job = await h['jobs.get'](again);
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      job = await h['jobs.get'](again);
    }
    expect(job.outcomes).toMatchObject([{ ok: true, stored: 60_000 }]);
    expect(await h['jobs.cancel'](again)).toEqual({ cancelled: false });
  });
});
