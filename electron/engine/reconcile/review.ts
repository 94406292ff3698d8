import type { ApiRecord, ReviewQuery, ReviewRow } from '../../../shared/api';
import type { Db } from '../store/database';
import { recordsById } from './load';
import { firstLineAt, LINE, linesByAmount, type ReviewLines, reviewLines } from './review-lines';
import { NONE } from './table';
import type { ReconRecord } from './types';

// The review table: a page of the run's lines (review-lines), filtered and sorted in memory, with
// each side's record and mismatches.

const DIFFERS: ReviewRow['differs'] = ['amountFen', 'txnTime', 'cardLast4', 'rrn', 'trace', 'batch'];

export function toApiRecord(r: ReconRecord): ApiRecord {
  const { fp: _fp, ts: _ts, ...rest } = r;
  return rest;
}

/** The lines of a time range: [first, end). A date alone means the whole day; lines without a
 *  time, which come first, are in no range (every time text is at least ''). */
export function linesBetween(lines: ReviewLines, from?: string, to?: string): { first: number; end: number } {
  if (!from && !to) return { first: 0, end: lines.length };
  const start = from && (from.length === 10 ? `${from} 00:00:00` : from);
  const stop = to && (to.length === 10 ? `${to} 23:59:59` : to);
  return {
    first: firstLineAt(lines, start ?? '', false),
    end: stop ? firstLineAt(lines, stop, true) : lines.length,
  };
}

/** Whether a line passes the query's filters other than its time range. */
function lineFilter(db: Db, lines: ReviewLines, q: ReviewQuery): (i: number) => boolean {
  const tests: Array<(i: number) => boolean> = [];
  // A text no line has matches no line.
  const place = (text: string) => lines.texts.indexOf(text);
  const equal = (column: Int32Array, text: string | undefined) => {
    if (text === undefined) return;
    const at = place(text);
    tests.push((i) => at !== NONE && column[i] === at);
  };
  equal(lines.merchant, q.merchantNo);
  equal(lines.terminal, q.terminalNo);
  equal(lines.card4, q.cardLast4);
  if (q.amountFen !== undefined) {
    const amount = Math.abs(q.amountFen);
    tests.push((i) => Math.abs(lines.amount[i]!) === amount);
  }
  if (q.kind || q.status || q.problemsOnly) tests.push((i) => (lines.flags[i]! & LINE.problem) !== 0);
  if (q.kind || q.status) {
    const ids = new Set(
      db
        .prepare(
          `SELECT DISTINCT j.value AS id FROM mismatches m, json_each(m.record_ids) j
           WHERE (@kind IS NULL OR m.kind = @kind) AND (@status IS NULL OR m.status = @status)`,
        )
        .pluck()
        .all({ kind: q.kind ?? null, status: q.status ?? null }) as number[],
    );
    tests.push((i) => ids.has(lines.tid[i]!) || ids.has(lines.sid[i]!) || ids.has(lines.bid[i]!));
  }
  return (i) => tests.every((test) => test(i));
}

/**
 * Reads the last run's lines and turns one page of them, so that the first page a screen asks for
 * is not the one that pays for reading a million lines and for code not yet compiled: over the
 * benchmark's two million records that first page took 211–238 ms through `posrecon serve`, the
 * next ones 32–59 ms (by hand). Nothing is brought up to date: a page asked for later still is.
 */
export function warmReview(db: Db): void {
  reviewPage(db, { offset: 0, limit: 100 });
}

export function reviewPage(db: Db, q: ReviewQuery): { total: number; rows: ReviewRow[] } {
  const lines = reviewLines(db);
  const { first, end } = linesBetween(lines, q.from, q.to);
  const keep = lineFilter(db, lines, q);
  const page: Array<{ tid: number | null; sid: number | null; bid: number | null }> = [];
  let total = 0;
  const visit = (i: number) => {
    if (i < first || i >= end || !keep(i)) return;
    if (total >= q.offset && total < q.offset + q.limit)
      page.push({ tid: lines.tid[i] || null, sid: lines.sid[i] || null, bid: lines.bid[i] || null });
    total++;
  };
  if (q.sort === 'amount') {
    // Equal amounts stay in time order either way, as SQL's abs(amount) DESC, id would have them.
    const order = linesByAmount(db);
    if (!q.descending) for (const i of order) visit(i);
    else
      for (let stop = order.length; stop > 0; ) {
        const amount = Math.abs(lines.amount[order[stop - 1]!]!);
        let start = stop - 1;
        while (start > 0 && Object.is(Math.abs(lines.amount[order[start - 1]!]!), amount)) start--;
        for (let k = start; k < stop; k++) visit(order[k]!);
        stop = start;
      }
  } else if (q.descending) for (let i = end - 1; i >= first; i--) visit(i);
  else for (let i = first; i < end; i++) visit(i);
  const ids = page.flatMap((g) => [g.tid, g.sid, g.bid].filter((x): x is number => x !== null));
  const records = recordsById(db, ids);
  const flagged = db
    .prepare(
      `SELECT m.id, m.kind, m.status, m.difference_fen AS differenceFen, j.value AS rid
       FROM mismatches m, json_each(m.record_ids) j WHERE j.value IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as Array<ReviewRow['mismatches'][number] & { rid: number }>;
  const byRecord = new Map<number, ReviewRow['mismatches']>();
  for (const { rid, ...m } of flagged) byRecord.set(rid, [...(byRecord.get(rid) ?? []), m]);

  const rows = page.map((g): ReviewRow => {
    const side = (id: number | null) => (id === null ? null : (records.get(id) ?? null));
    const [t, s, b] = [side(g.tid), side(g.sid), side(g.bid)];
    const seen = new Map<string, ReviewRow['mismatches'][number]>();
    for (const id of [g.tid, g.sid, g.bid])
      for (const m of id === null ? [] : (byRecord.get(id) ?? [])) seen.set(m.id, m);
    return {
      key: `${g.tid ?? ''}-${g.sid ?? ''}-${g.bid ?? ''}`,
      terminal: t && toApiRecord(t),
      settlement: s && toApiRecord(s),
      statement: b && toApiRecord(b),
      mismatches: [...seen.values()],
      differs:
        t && s
          ? DIFFERS.filter((f) => (t[f] ?? null) !== (s[f] ?? null) && t[f] != null && s[f] != null)
          : [],
    };
  });
  return { total, rows };
}
