import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../../electron/engine/import/import-file';
import { openDatabase } from '../../../../electron/engine/store/database';
import { fileStoreDir } from '../../../../electron/engine/store/paths';
import { testHandlers } from '../../../helpers/handlers';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

describe('manual matching from the case screen', () => {
  it('offers the other side’s records with the same terminal and amount, and a match closes both mismatches', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'p.sqlite');
    const db = openDatabase(dbPath);
    // The acquirer printed its own reference and a clock 12 minutes off: no rule can pair them.
    writeFileSync(
      join(dir, 'pos.csv'),
      '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,凭证号,批次号,参考号,交易状态\n' +
        '2026-11-05 10:00:00,898310058120001,12345678,622202******1111,借记卡,消费,300.00,000001,000001,531000000001,成功\n',
    );
    writeFileSync(
      join(dir, '清算.csv'),
      '清算日期,交易时间,商户号,终端号,参考号,凭证号,批次号,卡号,卡类型,交易类型,交易金额,手续费,结算金额\n' +
        '2026-11-05,2026-11-05 10:12:00,898310058120001,12345678,999000000001,000777,000001,622202******9999,借记卡,消费,300.00,1.50,298.50\n',
    );
    for (const f of ['pos.csv', '清算.csv'])
      await importFile(db, fileStoreDir(dbPath), { path: join(dir, f) });
    const h = testHandlers(db, dbPath, '王店长');
    const page = await h['review.page']({ problemsOnly: true, offset: 0, limit: 10 });
    const kinds = page.rows.flatMap((r) => r.mismatches.map((m) => m.kind)).sort();
    expect(kinds).toEqual(['charged_not_recorded', 'not_settled']);
    const notSettled = page.rows.flatMap((r) => r.mismatches).find((m) => m.kind === 'not_settled')!;
    const notRecorded = page.rows
      .flatMap((r) => r.mismatches)
      .find((m) => m.kind === 'charged_not_recorded')!;

    const offered = await h['cases.candidates']({ id: notSettled.id });
    expect(offered).toHaveLength(1);
    expect(offered[0]!.for.rrn).toBe('531000000001');
    expect(offered[0]!.candidates.map((c) => c.rrn)).toEqual(['999000000001']);

    await h['cases.link']({
      terminalId: offered[0]!.for.id,
      settlementId: offered[0]!.candidates[0]!.id,
      action: 'match',
    });
    const after = await h['review.page']({ offset: 0, limit: 10 });
    expect(after.total).toBe(1);
    expect(after.rows[0]!.settlement?.rrn).toBe('999000000001');
    expect(after.rows[0]!.differs).toEqual(expect.arrayContaining(['rrn', 'txnTime', 'cardLast4']));
    const closed = await h['mismatches.get']({ id: notSettled.id });
    expect(closed.mismatch.status).toBe('closed');
    expect((await h['mismatches.get']({ id: notRecorded.id })).mismatch.status).toBe('closed');
  });
});
