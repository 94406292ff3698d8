import { describe, expect, it } from 'vitest';
import { reviewPage } from '../../../../electron/engine/reconcile/review';
import { setMismatchStatus } from '../../../../electron/engine/reconcile/workflow';
import { reconciledDay } from '../../../helpers/day-db';
import { tmpDirPerTest } from '../../../helpers/tmp';

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
