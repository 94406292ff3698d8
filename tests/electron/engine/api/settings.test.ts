import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../../electron/engine/api/handlers';
import { reconciledDay } from '../../../helpers/day-db';
import { testHandlers } from '../../../helpers/handlers';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

async function handlers() {
  const { db, dbPath } = await reconciledDay(tmp());
  return testHandlers(db, dbPath, '李会计');
}

describe('settings through the API', () => {
  it('lists the merchants and terminals the records name', async () => {
    const h = await handlers();
    const view = await h['settings.get']({});
    expect(view.merchants).toEqual([
      { merchantNo: '898310058120001', name: '上海好邻居便利店', terminals: ['12345678'] },
    ]);
    expect(view.matching).toEqual({
      rrnDays: 1,
      matchWindowSec: 180,
      duplicateWindowSec: 600,
      cutoff: '23:00:00',
    });
  });

  it('matching windows are the user’s: a narrower duplicate window no longer flags sales 3 minutes apart', async () => {
    const h = await handlers();
    const before = await h['overview.get']({});
    expect(before.byKind.duplicate_charge.count).toBe(1);
    await h['settings.setMatching']({
      rrnDays: 1,
      matchWindowSec: 180,
      duplicateWindowSec: 60,
      cutoff: '23:00:00',
    });
    const after = await h['overview.get']({});
    expect(after.byKind.duplicate_charge.count).toBe(0);
    const bad = await dispatch(
      h,
      'settings.setMatching',
      { rrnDays: 1, matchWindowSec: 180, duplicateWindowSec: 60, cutoff: '25:00' },
      () => false,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('a dated fee for one merchant, holidays, D0 merchants and keywords are kept', async () => {
    const h = await handlers();
    const fee = await h['settings.setFee']({
      card: 'debit',
      rateBp: 55,
      capFen: 2_000,
      fixedFen: 0,
      merchantNo: '898310058120001',
      from: '2026-12-01',
    });
    expect(fee.feeSchedules).toContainEqual({
      merchantNo: '898310058120001',
      from: '2026-12-01',
      card: 'debit',
      term: { rateBp: 55, capFen: 2_000, fixedFen: 0 },
    });
    const cal = await h['settings.setCalendar']({ holidays: ['2027-02-09'], d0: ['898310058120001'] });
    expect(cal.holidays).toContain('2027-02-09');
    expect(cal.d0Merchants).toEqual(['898310058120001']);
    const kw = await h['settings.setKeywords']({ keywords: ['银联商务', '拉卡拉', '银联商务'] });
    expect(kw.acquirerKeywords).toEqual(['银联商务', '拉卡拉']);
  });
});
