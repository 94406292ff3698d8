import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { reviewPage, warmReview } from '../../../../electron/engine/reconcile/review';
import {
  buildReviewLines,
  LINE,
  lineTime,
  reviewLines,
  saveReviewLines,
} from '../../../../electron/engine/reconcile/review-lines';
import { tableOf } from '../../../../electron/engine/reconcile/table';
import type { ReconRecord } from '../../../../electron/engine/reconcile/types';
import { setMismatchStatus } from '../../../../electron/engine/reconcile/workflow';
import { type Db, openDatabase } from '../../../../electron/engine/store/database';
import { reconciledDay } from '../../../helpers/day-db';
import { tmpDirPerTest } from '../../../helpers/tmp';
import { rec } from './builder';

const tmp = tmpDirPerTest();

/** Stores the lines of a run over these records that paired none of them; the lines as read back. */
function storeUnpaired(db: Db, records: ReconRecord[]) {
  const table = tableOf(records);
  saveReviewLines(
    db,
    buildReviewLines({ table, counterpart: new Int32Array(table.length).fill(-1) }, new Set(), new Set()),
  );
  return reviewLines(db);
}

/** Expects the lines to hold exactly `times`, ordered as SQLite would order them by their time text
 *  and then their record: no time first. */
function expectTextOrder(lines: ReturnType<typeof reviewLines>, times: ReadonlyArray<string | null>) {
  const written = Array.from({ length: lines.length }, (_, i) => ({
    record: lines.tid[i] || lines.sid[i] || lines.bid[i],
    time: lineTime(lines, i),
  }));
  const byText = [...written].sort(
    (a, b) =>
      (a.time === b.time ? 0 : a.time === null ? -1 : b.time === null ? 1 : a.time < b.time ? -1 : 1) ||
      a.record! - b.record!,
  );
  expect(written).toEqual(byText);
  expect(written.map((l) => l.time).sort()).toEqual([...times].sort());
}

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
    const db = openDatabase(join(tmp(), 'r.sqlite'));
    const lines = storeUnpaired(db, records);
    expectTextOrder(lines, times);
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

describe('the review lines of well-formed times', () => {
  it('are in the order of their time texts and then their records, across days, months and years', () => {
    // Times that repeat, cross midnight and a year's end, and lines with no time.
    const days = ['2025-12-31', '2026-01-01', '2026-01-10', '2026-02-01'];
    const times = Array.from({ length: 400 }, (_, i) =>
      i % 37 === 0
        ? null
        : `${days[(i * 7) % days.length]} ${String((i * 5) % 24).padStart(2, '0')}:${String((i * 13) % 60).padStart(2, '0')}:${String(i % 3).padStart(2, '0')}`,
    );
    const records = times.map((txnTime, i) => rec({ source: i % 3 ? 'terminal' : 'settlement', txnTime }));
    expectTextOrder(storeUnpaired(openDatabase(join(tmp(), 'r.sqlite')), records), times);
  });
});

describe('the stored review lines', () => {
  it("keep each line's sides, amount, texts and flags as the run built them", () => {
    const [sale, settled, lone, bank] = [
      rec({ source: 'terminal', txnTime: '2026-11-05 10:00:00', amountFen: 1_500, cardLast4: '7777' }),
      rec({ source: 'settlement', txnTime: '2026-11-05 10:00:00', amountFen: 1_500 }),
      // Last four digits that are no four digits' key (a text, five digits): kept the other way.
      rec({
        source: 'settlement',
        txnTime: '2026-11-05 11:00:00',
        amountFen: null,
        merchantNo: null,
        cardLast4: 'X123',
      }),
      rec({
        source: 'statement',
        txnTime: '2026-11-06',
        amountFen: -20_000,
        txnType: 'credit',
        cardLast4: '12345',
      }),
    ];
    const table = tableOf([sale!, settled!, lone!, bank!]);
    const counterpart = Int32Array.from([1, 0, -1, -1]);
    const db = openDatabase(join(tmp(), 'r.sqlite'));
    // The settlement line flagged: its terminal sale's line shows the problem.
    const flagged = new Set([lone!.id, settled!.id]);
    saveReviewLines(db, buildReviewLines({ table, counterpart }, flagged, new Set([sale!.id])));
    const lines = reviewLines(db);
    const at = (column: Int32Array, i: number) => (column[i] === -1 ? null : lines.texts[column[i]!]);
    expect(
      Array.from({ length: lines.length }, (_, i) => ({
        sides: [lines.tid[i], lines.sid[i], lines.bid[i]],
        amount: lines.amount[i],
        merchant: at(lines.merchant, i),
        terminal: at(lines.terminal, i),
        card4: at(lines.card4, i),
        time: lineTime(lines, i),
        flags: lines.flags[i],
      })),
    ).toEqual([
      {
        sides: [sale!.id, settled!.id, 0],
        amount: 1_500,
        merchant: sale!.merchantNo,
        terminal: sale!.terminalNo,
        card4: '7777',
        time: '2026-11-05 10:00:00',
        flags: LINE.problem | LINE.pending | LINE.sale,
      },
      {
        sides: [0, lone!.id, 0],
        amount: Number.NaN,
        merchant: null,
        terminal: lone!.terminalNo,
        card4: 'X123',
        time: '2026-11-05 11:00:00',
        flags: LINE.problem,
      },
      {
        sides: [0, 0, bank!.id],
        amount: -20_000,
        merchant: bank!.merchantNo,
        terminal: bank!.terminalNo,
        card4: '12345',
        time: '2026-11-06',
        flags: 0,
      },
    ]);
    db.close();
  });

  it('are read ahead by warmReview, which a database with no run yet takes as well', () => {
    const path = join(tmp(), 'r.sqlite');
    const reader = openDatabase(path);
    expect(() => warmReview(reader)).not.toThrow();
    storeUnpaired(openDatabase(path), [rec({ source: 'terminal', txnTime: '2026-11-05 10:00:00' })]);
    warmReview(reader);
    // Kept: a page asked for now reads no line again.
    const prepare = vi.spyOn(reader, 'prepare');
    expect(reviewPage(reader, { offset: 0, limit: 10 }).total).toBe(1);
    expect(prepare.mock.calls.filter(([sql]) => sql.includes('SELECT name, data FROM review_lines'))).toEqual(
      [],
    );
    reader.close();
  });

  it('are read again by a connection that kept them once another run has replaced them', () => {
    const path = join(tmp(), 'r.sqlite');
    const reader = openDatabase(path);
    const writer = new Database(path);
    const run = (amounts: number[]) =>
      storeUnpaired(
        writer,
        amounts.map((amountFen, i) =>
          rec({ source: 'terminal', txnTime: `2026-11-05 10:00:0${i}`, amountFen }),
        ),
      );
    expect(reviewPage(reader, { offset: 0, limit: 10 }).total).toBe(0);
    run([100, 200]);
    expect(reviewLines(reader).length).toBe(2);
    expect(reviewPage(reader, { offset: 0, limit: 10 }).total).toBe(2);
    run([300, 100, 300]);
    expect(Array.from(reviewLines(reader).amount)).toEqual([300, 100, 300]);
    writer.close();
    reader.close();
  });

  it('sort by amount as SQL sorts abs(amount), then time: no amount first going up, last going down', () => {
    const amounts = [500, null, -300, 300, 500, null, 100];
    const records = amounts.map((amountFen, i) =>
      rec({ source: 'terminal', txnTime: `2026-11-05 10:00:0${i}`, amountFen }),
    );
    const db = openDatabase(join(tmp(), 'r.sqlite'));
    const lines = storeUnpaired(db, records);
    const order = (descending: boolean) => {
      const byTime = Array.from({ length: lines.length }, (_, i) => i);
      const key = (i: number) => (Number.isNaN(lines.amount[i]!) ? -1 : Math.abs(lines.amount[i]!));
      return byTime.sort((a, b) => (descending ? key(b) - key(a) : key(a) - key(b)) || a - b);
    };
    for (const descending of [false, true]) {
      const page = reviewPage(db, { sort: 'amount', descending, offset: 0, limit: 100 });
      expect(page.rows.map((r) => r.key)).toEqual(order(descending).map((i) => `${lines.tid[i]}--`));
    }
    db.close();
  });
});
