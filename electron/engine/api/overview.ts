import type { Overview, OverviewLine, Tally } from '../../../shared/api';
import { MISMATCH_KINDS } from '../../../shared/mismatches';
import { UNDECIDED_STATUSES } from '../../../shared/statuses';
import { listMismatches } from '../reconcile/cases';
import { loadRecords } from '../reconcile/load';
import { firstLineAt, LINE, reviewLines } from '../reconcile/review-lines';
import { loadSettings } from '../reconcile/settings-store';
import { isAcquirerCredit } from '../reconcile/statement';
import { dayOf } from '../reports/period';
import type { Db } from '../store/database';
import { SOURCE, STATUS, TXN } from '../store/record-columns';
import { localToday } from '../time';

// 总览: for a range of days, per merchant and terminal, what each side recorded, what matched,
// what waits for its settlement day, and the mismatches by kind; per day, sales against settled
// against credited, and whether the day is closed (日结).

/** Money taken from the card holder, as the records view's codes: the rules' SALE. */
const SALE_TYPES = `(${TXN.sale}, ${TXN.preauth_complete}, ${TXN.unknown})`;

/** The latest day anything was sold on and the latest day of any record (a bank credit comes a
 *  day or more later: a clerk's morning looks at both), and how many records there are. */
function latestDays(db: Db): { sold: string | null; any: string | null; records: number } {
  return db
    .prepare(
      // One pass over the records: each pass reads every record's fields.
      `SELECT max(CASE WHEN source = ${SOURCE.terminal} THEN substr(txn_time, 1, 10) END) AS sold,
              max(substr(txn_time, 1, 10)) AS any, count(*) AS records FROM records`,
    )
    .get() as { sold: string | null; any: string | null; records: number };
}

export function overview(db: Db, from?: string, to?: string): Overview {
  const latest = latestDays(db);
  const today = localToday();
  const sold = latest.sold ?? latest.any ?? today;
  const range = { from: from ?? to ?? sold, to: to ?? (from ? from : (latest.any ?? sold)) };
  const params = { from: range.from, to: `${range.to}~` };
  const lines = new Map<string, OverviewLine>();
  const line = (merchantNo: string, terminalNo: string) => {
    const key = `${merchantNo}|${terminalNo}`;
    let l = lines.get(key);
    if (!l) {
      l = {
        merchantNo,
        terminalNo,
        terminal: { count: 0, fen: 0 },
        settlement: { count: 0, fen: 0 },
        matched: 0,
        pending: 0,
        mismatches: {},
      };
      lines.set(key, l);
    }
    return l;
  };
  // One pass over the range's card records gives each terminal's two sides and each day's money.
  const groups = db
    .prepare(
      `SELECT substr(txn_time, 1, 10) AS day, coalesce(merchant_no, '') AS m, coalesce(terminal_no, '') AS t,
              source, txn_type IN ${SALE_TYPES} AS sale, status = ${STATUS.success} AS success, count(*) AS n,
              coalesce(sum(amount_fen), 0) AS fen,
              coalesce(sum(coalesce(net_fen, amount_fen - coalesce(fee_fen, 0))), 0) AS net
       FROM records WHERE source IN (${SOURCE.terminal}, ${SOURCE.settlement}) AND txn_time >= :from AND txn_time < :to GROUP BY 1, 2, 3, 4, 5, 6`,
    )
    .all(params) as Array<{
    day: string;
    m: string;
    t: string;
    source: number;
    sale: number;
    success: number;
    n: number;
    fen: number;
    net: number;
  }>;
  const perDay = new Map<string, { sales: number; settled: number }>();
  for (const g of groups) {
    const day = perDay.get(g.day) ?? { sales: 0, settled: 0 };
    perDay.set(g.day, day);
    // Sales as the terminal recorded them (voids and refunds taken off); settled net, signed.
    if (g.source === SOURCE.terminal && g.success) day.sales += g.sale ? g.fen : -g.fen;
    if (g.source === SOURCE.settlement) day.settled += g.sale ? g.net : -g.net;
    if (!g.sale || (g.source === SOURCE.terminal && !g.success)) continue;
    const side = line(g.m, g.t)[g.source === SOURCE.terminal ? 'terminal' : 'settlement'];
    side.count += g.n;
    side.fen += g.fen;
  }
  // The range's review lines, which are in time order: matched sales, and sales waiting for their
  // settlement day.
  const review = reviewLines(db);
  const span = { first: firstLineAt(review, params.from, false), end: firstLineAt(review, params.to, false) };
  const textAt = (at: number) => (at < 0 ? '' : review.texts[at]!);
  const bankIds: number[] = [];
  for (let i = span.first; i < span.end; i++) {
    if (review.bid[i] !== 0) bankIds.push(review.bid[i]!);
    const flags = review.flags[i]!;
    const matched = review.sid[i] !== 0 && (flags & LINE.sale) !== 0;
    // Sales with neither a settlement nor a mismatch yet, as the last reconcile run found them (a
    // voided sale waits for nothing, however the void was linked).
    const waiting = (flags & (LINE.pending | LINE.problem)) === LINE.pending;
    if (!matched && !waiting) continue;
    const l = line(textAt(review.merchant[i]!), textAt(review.terminal[i]!));
    if (matched) l.matched++;
    if (waiting) l.pending++;
  }

  const byKind = Object.fromEntries(MISMATCH_KINDS.map((k) => [k, { count: 0, fen: 0 }])) as Record<
    (typeof MISMATCH_KINDS)[number],
    Tally
  >;
  const openByDay = new Map<string, number>();
  for (const m of listMismatches(db)) {
    if (m.status === 'closed') continue;
    // Open on every day it touches, as closing any of those days is refused while it is undecided.
    if (UNDECIDED_STATUSES.has(m.status)) {
      for (const d of new Set(m.records.map(dayOf)))
        if (d !== null && d >= range.from && d <= range.to) openByDay.set(d, (openByDay.get(d) ?? 0) + 1);
    }
    const first = m.records.find((r) => r.source !== 'statement') ?? m.records[0];
    const day = first ? dayOf(first) : null;
    if (!first || !day || day < range.from || day > range.to) continue;
    const money = Math.abs(m.differenceFen ?? 0);
    byKind[m.kind].count++;
    byKind[m.kind].fen += money;
    // A bank line names no terminal: its mismatch counts for the day, not for a terminal's line.
    if (first.merchantNo || first.terminalNo) {
      const l = line(first.merchantNo ?? '', first.terminalNo ?? '');
      const k = l.mismatches[m.kind] ?? { count: 0, fen: 0 };
      k.count++;
      k.fen += money;
      l.mismatches[m.kind] = k;
    }
  }

  const { acquirerKeywords } = loadSettings(db);
  const credits = new Map<string, number>();
  // The range's bank lines from the review lines; credit lines only read whole.
  for (const r of loadRecords(db, {
    sql: `r.id IN (SELECT value FROM json_each(:ids)) AND r.txn_type = ${TXN.credit}`,
    params: { ids: JSON.stringify(bankIds) },
  })) {
    if (isAcquirerCredit(r, acquirerKeywords))
      credits.set(dayOf(r)!, (credits.get(dayOf(r)!) ?? 0) + (r.amountFen ?? 0));
  }
  const closes = new Map(
    (
      db
        .prepare('SELECT day, closed_by AS by, closed_at AS at FROM day_closes WHERE day BETWEEN ? AND ?')
        .all(range.from, range.to) as Array<{
        day: string;
        by: string;
        at: string;
      }>
    ).map((c) => [c.day, { by: c.by, at: c.at }]),
  );
  const days = [...new Set([...perDay.keys(), ...credits.keys()])].sort().map((day) => {
    const d = perDay.get(day);
    return {
      day,
      salesFen: d?.sales ?? 0,
      settledFen: d?.settled ?? 0,
      creditedFen: credits.get(day) ?? 0,
      closed: closes.get(day) ?? null,
      open: openByDay.get(day) ?? 0,
    };
  });
  return {
    ...range,
    lines: [...lines.values()].sort(
      (a, b) => a.merchantNo.localeCompare(b.merchantNo) || a.terminalNo.localeCompare(b.terminalNo),
    ),
    byKind,
    days,
    records: latest.records,
  };
}
