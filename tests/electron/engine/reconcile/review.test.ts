import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rebuildReviewGroups, reviewPage } from '../../../../electron/engine/reconcile/review';
import { tableOf } from '../../../../electron/engine/reconcile/table';
import { setMismatchStatus } from '../../../../electron/engine/reconcile/workflow';
import { openDatabase } from '../../../../electron/engine/store/database';
import { reconciledDay } from '../../../helpers/day-db';
import { tmpDirPerTest } from '../../../helpers/tmp';
import { rec } from './builder';

const tmp = tmpDirPerTest();

describe('the review table', () => {
  it('one line per matched group, in time order, with filters, sorting and pages', async () => {
    const { db } = await reconciledDay(tmp());
    const all = reviewPage(db, { offset: 0, limit: 500 });
    // 15 terminal lines (11 with their settlement), no lone settlement, 2 bank lines.
    expect(all.total).toBe(17);
    expect(all.rows.filter((r) => r.terminal && r.settlement)).toHaveLength(11);
    expect(all.rows.filter((r) => r.statement)).toHaveLength(2);
    const times = all.rows.map((r) => (r.terminal ?? r.settlement ?? r.statement)!.txnTime!);
    expect(times).toEqual([...times].sort());

    const second = reviewPage(db, { offset: 5, limit: 5 });
    expect(second.rows.map((r) => r.key)).toEqual(all.rows.slice(5, 10).map((r) => r.key));

    const biggest = reviewPage(db, { sort: 'amount', descending: true, offset: 0, limit: 1 }).rows[0]!;
    expect(biggest.statement?.amountFen).toBe(1_170_389);

    const problems = reviewPage(db, { problemsOnly: true, offset: 0, limit: 100 });
    expect(problems.total).toBe(9);
    const amount = problems.rows.find((r) => r.mismatches.some((m) => m.kind === 'amount_mismatch'))!;
    expect(amount.differs).toEqual(['amountFen']);

    const dup = reviewPage(db, { kind: 'duplicate_charge', offset: 0, limit: 100 });
    expect(dup.rows.map((r) => r.terminal?.trace)).toEqual(['000002', '000003']);
    setMismatchStatus(db, dup.rows[0]!.mismatches[0]!.id, { status: 'disputed', user: 'x', ticketNo: 'T' });
    expect(reviewPage(db, { status: 'disputed', offset: 0, limit: 100 }).total).toBe(2);
    expect(reviewPage(db, { status: 'resolved', offset: 0, limit: 100 }).total).toBe(0);

    expect(reviewPage(db, { cardLast4: '7777', offset: 0, limit: 100 }).total).toBe(2);
    expect(reviewPage(db, { amountFen: -20_000, offset: 0, limit: 100 }).rows[0]!.statement?.amountFen).toBe(
      -20_000,
    );
    expect(reviewPage(db, { from: '2026-11-06', offset: 0, limit: 100 }).total).toBe(2);
  });
});

describe('the review lines', () => {
  it('are written in the order of their time texts, as SQLite sorts them, whatever the times look like', () => {
    const times = [
      '2026-11-05 10:00:00',
      '2026-11-05 9:05',
      '2026-11-05T08:00:00',
      null,
      '2026-11-04 23:59:59',
      '2026-11-05 10:00:00',
      '2026-11-05',
      '1999-12-31 23:59:59',
      '2026-11-05 ',
    ];
    const records = times.map((txnTime, i) => rec({ source: i % 2 ? 'settlement' : 'terminal', txnTime }));
    const table = tableOf(records);
    const db = openDatabase(join(tmp(), 'r.sqlite'));
    rebuildReviewGroups(
      db,
      { table, counterpart: new Int32Array(table.length).fill(-1) },
      new Set(),
      new Set(),
    );
    const order = (sql: string) =>
      db.prepare(`SELECT coalesce(tid, sid, bid) AS record, time FROM review_groups ${sql}`).all() as Array<{
        record: number;
        time: string | null;
      }>;
    const written = order('ORDER BY id');
    expect(written).toEqual(order('ORDER BY time, coalesce(tid, sid, bid)'));
    expect(written.map((l) => l.time).sort()).toEqual([...times].sort());
    // A time range is found through that order: the lines it holds are those whose time text lies
    // within it, bounds included.
    const ranges: Array<{ from?: string; to?: string }> = [
      { from: '2026-11-05' },
      { to: '2026-11-05' },
      { from: '2026-11-05 10:00:00' },
      { to: '2026-11-05 10:00:00' },
      { from: '2026-11-04 23:59:59', to: '2026-11-05 9:05' },
      { from: '2026-11-06' },
      { to: '1999-12-31' },
      { from: '2000-01-01', to: '2026-11-04' },
    ];
    for (const range of ranges) {
      const from = range.from && (range.from.length === 10 ? `${range.from} 00:00:00` : range.from);
      const to = range.to && (range.to.length === 10 ? `${range.to} 23:59:59` : range.to);
      const within = times.filter((t) => t !== null && (!from || t >= from) && (!to || t <= to));
      expect(reviewPage(db, { ...range, offset: 0, limit: 100 }).total, JSON.stringify(range)).toBe(
        within.length,
      );
    }
    db.close();
  });
});
