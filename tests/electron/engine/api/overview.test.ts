import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { overview } from '../../../../electron/engine/api/overview';
import { ensureReconciled, runReconcile } from '../../../../electron/engine/reconcile/cases';
import { closeDay, DayNotReadyError } from '../../../../electron/engine/reports/close-report';
import { openDatabase } from '../../../../electron/engine/store/database';
import { csvDb, SETTLEMENT, TERMINAL } from '../../../helpers/csv-db';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();
const SHOP = '898310058120001,12345678';

describe('overview', () => {
  it('counts as pending the sales the reconcile left waiting, not one voided without its RRN', async () => {
    const { db, dbPath, importLines } = csvDb(tmp());
    await importLines('pos.csv', [
      TERMINAL,
      `2026-11-04 09:00:00,${SHOP},622202******1111,借记卡,消费,20.00,000001,000001,531000000001,成功`,
      `2026-11-05 10:00:00,${SHOP},622202******1234,借记卡,消费,100.00,000002,000001,531000000002,成功`,
      // Voided by card, amount and day: the export carries no original RRN.
      `2026-11-05 10:05:00,${SHOP},622202******1234,借记卡,消费撤销,100.00,000003,000001,531000000003,成功`,
      `2026-11-05 11:00:00,${SHOP},622202******5678,借记卡,消费,50.00,000004,000001,531000000004,成功`,
      // Charged twice: a mismatch already, not a sale waiting for its settlement.
      `2026-11-05 12:00:00,${SHOP},622202******9999,借记卡,消费,60.00,000005,000001,531000000005,成功`,
      `2026-11-05 12:02:00,${SHOP},622202******9999,借记卡,消费,60.00,000006,000001,531000000006,成功`,
    ]);
    // The settlement detail so far covers the 4th only: the 5th's sales wait for theirs.
    await importLines('settle.csv', [
      SETTLEMENT,
      `2026-11-04,2026-11-04 09:00:00,${SHOP},531000000001,000001,000001,622202******1111,借记卡,消费,20.00,0.10,19.90`,
    ]);
    const run = runReconcile(db);
    expect([run.pending.length, run.summary.duplicate_charge.count]).toEqual([3, 1]);
    const day = overview(db, '2026-11-05', '2026-11-05');
    expect(day.lines).toMatchObject([{ terminalNo: '12345678', matched: 0, pending: 1 }]);
    expect(overview(db, '2026-11-04', '2026-11-04').lines).toMatchObject([{ matched: 1, pending: 0 }]);
    db.close();

    // A database reconciled while review lines were rows (before migration 10): the upgrade drops
    // them and forgets that run, so the next one writes them again.
    const old = new Database(dbPath);
    old.exec(`DROP TABLE review_lines; DELETE FROM schema_migrations WHERE id = 10;
      CREATE TABLE review_groups (id INTEGER PRIMARY KEY, time TEXT, amount INTEGER, merchant TEXT,
        terminal TEXT, card4 TEXT, tid INTEGER, sid INTEGER, bid INTEGER, problem INTEGER NOT NULL DEFAULT 0,
        pending INTEGER NOT NULL DEFAULT 0) STRICT`);
    expect(old.prepare("SELECT count(*) FROM settings WHERE key = 'reconciledState'").pluck().get()).toBe(1);
    old.close();
    const upgraded = openDatabase(dbPath);
    expect(ensureReconciled(upgraded)).not.toBeNull();
    expect(overview(upgraded, '2026-11-05', '2026-11-05').lines).toMatchObject([{ pending: 1 }]);
    upgraded.close();
  });

  it('counts a mismatch open on every day it touches, the days closing refuses for it', async () => {
    const { db, importLines } = csvDb(tmp());
    await importLines('pos.csv', [
      '交易时间,商户号,终端号,卡号,卡类型,交易类型,交易金额,凭证号,批次号,参考号,原参考号,交易状态',
      `2026-11-05 10:00:00,${SHOP},622202******1234,借记卡,消费,100.00,000001,000001,531000000001,,成功`,
      // Refunded the next morning; the acquirer never takes the money back.
      `2026-11-06 09:00:00,${SHOP},622202******1234,借记卡,退货,100.00,000002,000001,531000000002,531000000001,成功`,
      `2026-11-06 10:00:00,${SHOP},622202******5678,借记卡,消费,50.00,000003,000001,531000000003,,成功`,
    ]);
    await importLines('settle.csv', [
      SETTLEMENT,
      `2026-11-05,2026-11-05 10:00:00,${SHOP},531000000001,000001,000001,622202******1234,借记卡,消费,100.00,0.50,99.50`,
      `2026-11-06,2026-11-06 10:00:00,${SHOP},531000000003,000003,000001,622202******5678,借记卡,消费,50.00,0.25,49.75`,
    ]);
    const run = runReconcile(db);
    expect(run.mismatches.map((m) => m.kind)).toEqual(['void_not_reflected']);
    const days = overview(db, '2026-11-05', '2026-11-06').days;
    expect(days.map((d) => [d.day, d.open])).toEqual([
      ['2026-11-05', 1],
      ['2026-11-06', 1],
    ]);
    for (const day of ['2026-11-05', '2026-11-06'])
      expect(() => closeDay(db, day, '李会计')).toThrow(DayNotReadyError);
    db.close();
  });
});
