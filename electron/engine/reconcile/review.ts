import type { ApiRecord, ReviewQuery, ReviewRow } from '../../../shared/api';
import type { Db } from '../store/database';
import { insertRows } from '../store/insert-rows';
import { nullable, SOURCE } from '../store/record-columns';
import { recordsById } from './load';
import { keyText, NONE, type RecordTable, textOf, timeText } from './table';
import type { ReconRecord } from './types';

// The review table: one line per matched group — terminal | settlement | bank — with empty sides
// where a record is missing. Each reconcile run writes the groups into review_groups in time order,
// so that a page of a million-line table is an indexed read.

const DIFFERS: ReviewRow['differs'] = ['amountFen', 'txnTime', 'cardLast4', 'rrn', 'trace', 'batch'];

export function toApiRecord(r: ReconRecord): ApiRecord {
  const { fp: _fp, ts: _ts, ...rest } = r;
  return rest;
}

/** A run's matched groups, from its table: each terminal record (its settlement beside it when
 *  paired), each settlement line left unpaired and each bank line, as rows of the table. */
export interface ReviewSource {
  table: RecordTable;
  counterpart: Int32Array;
}

/** Lines per insert statement. */
const LINE_CHUNK = 128;
/** A line's columns, in the order rebuildReviewGroups writes their values. */
const LINE_COLUMNS = [
  'time',
  'amount',
  'merchant',
  'terminal',
  'card4',
  'tid',
  'sid',
  'bid',
  'problem',
  'pending',
];

/** Rewrites the review table's lines after a reconcile run; `flagged` are the records (ids) of the
 *  mismatches the run reported, `pending` the sales waiting for their settlement day. Runs inside
 *  the run's transaction. */
export function rebuildReviewGroups(
  db: Db,
  { table: t, counterpart }: ReviewSource,
  flagged: ReadonlySet<number>,
  pending: ReadonlySet<number>,
): void {
  // Building the indexes once over the finished table is several times faster than keeping four
  // indexes up to date through a million inserts; their definitions come from the schema itself.
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_groups' AND sql IS NOT NULL",
    )
    .all() as Array<{ name: string; sql: string }>;
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  db.prepare('DELETE FROM review_groups').run();
  const lines = linesInTimeOrder(t, counterpart);
  insertRows(db, 'review_groups', LINE_COLUMNS, lines.length, LINE_CHUNK, (params, at, i) => {
    const r = lines[i]!;
    const id = t.id[r]!;
    const other = counterpart[r]!;
    const source = t.source[r]!;
    const tid = source === SOURCE.terminal ? id : null;
    const sid = source === SOURCE.settlement ? id : other === -1 ? null : t.id[other]!;
    const bid = source === SOURCE.statement ? id : null;
    params[at] = timeText(t, r);
    params[at + 1] = nullable(t.amount[r]!);
    params[at + 2] = textOf(t, t.merchant[r]!);
    params[at + 3] = textOf(t, t.terminal[r]!);
    params[at + 4] = keyText(t, t.cardLast4[r]!);
    params[at + 5] = tid;
    params[at + 6] = sid;
    params[at + 7] = bid;
    params[at + 8] = flagged.has(id) || (sid !== null && flagged.has(sid)) ? 1 : 0;
    params[at + 9] = tid !== null && pending.has(tid) ? 1 : 0;
  });
  // SQLite sorts an index's keys in two threads when allowed to: the other core is idle by now,
  // and the four indexes over a million lines are built about a sixth sooner (by hand).
  const threads = db.pragma('threads', { simple: true }) as number;
  db.pragma('threads = 2');
  try {
    for (const { sql } of indexes) db.exec(sql);
  } finally {
    db.pragma(`threads = ${threads}`);
  }
}

/**
 * The rows that are lines, in the order of their time text and then their record id (the order
 * the page reads them in). Times written 'YYYY-MM-DD HH:MM:SS' sort as their date text and then
 * their seconds; any other time is compared as text, which agrees with that order; no time first.
 */
function linesInTimeOrder(t: RecordTable, counterpart: Int32Array): number[] {
  const lines: number[] = [];
  for (let r = 0; r < t.length; r++)
    if (t.source[r] !== SOURCE.settlement || counterpart[r] === -1) lines.push(r);
  const dates = [...new Set(lines.map((r) => t.date[r]!))].filter((d) => d !== NONE);
  dates.sort((a, b) => (t.texts[a]! < t.texts[b]! ? -1 : t.texts[a]! > t.texts[b]! ? 1 : 0));
  const rank = new Map(dates.map((d, i) => [d, i]));
  const key = new Float64Array(t.length);
  for (const r of lines) {
    const date = t.date[r]!;
    key[r] = date === NONE ? -1 : t.clock[r]! >= 0 ? rank.get(date)! * 86_400 + t.clock[r]! : Number.NaN;
  }
  return lines.sort((a, b) => {
    const [ka, kb] = [key[a]!, key[b]!];
    if (!Number.isNaN(ka) && !Number.isNaN(kb)) return ka - kb || t.id[a]! - t.id[b]!;
    const [ta, tb] = [timeText(t, a), timeText(t, b)];
    if (ta !== tb) return ta === null ? -1 : tb === null ? 1 : ta < tb ? -1 : 1;
    return t.id[a]! - t.id[b]!;
  });
}

/**
 * The id of the first line whose time is `time` or later (`after`: later only), or one past the
 * last. Lines are numbered from 1 in the order of their time texts, no time first (rebuildReviewGroups),
 * so the lines of a time range are a range of ids, found by halving.
 */
export function firstLineAt(db: Db, time: string, after: boolean): number {
  const timeOf = db.prepare('SELECT time FROM review_groups WHERE id = ?').pluck();
  let low = 1;
  let high = (db.prepare('SELECT coalesce(max(id), 0) FROM review_groups').pluck().get() as number) + 1;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    const t = timeOf.get(mid) as string | null;
    if (typeof t === 'string' && (after ? t > time : t >= time)) high = mid;
    else low = mid + 1;
  }
  return low;
}

export function reviewPage(db: Db, q: ReviewQuery): { total: number; rows: ReviewRow[] } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const add = (sql: string, name: string, value: unknown) => {
    if (value === undefined) return;
    where.push(sql);
    params[name] = value;
  };
  add('merchant = :merchant', 'merchant', q.merchantNo);
  add('terminal = :terminal', 'terminal', q.terminalNo);
  add('card4 = :card4', 'card4', q.cardLast4);
  add('abs(amount) = :amount', 'amount', q.amountFen === undefined ? undefined : Math.abs(q.amountFen));
  const from = q.from && (q.from.length === 10 ? `${q.from} 00:00:00` : q.from);
  const to = q.to && (q.to.length === 10 ? `${q.to} 23:59:59` : q.to);
  if (from || to) {
    // Lines without a time, which come first, are in no range: every time text is at least ''.
    where.push('id >= :fromId AND id < :toId');
    params.fromId = firstLineAt(db, from ?? '', false);
    params.toId = to ? firstLineAt(db, to, true) : Number.MAX_SAFE_INTEGER;
  }
  if (q.kind || q.status || q.problemsOnly) {
    where.push('problem = 1');
  }
  if (q.kind || q.status) {
    const ids = db
      .prepare(
        `SELECT DISTINCT j.value AS id FROM mismatches m, json_each(m.record_ids) j
         WHERE (@kind IS NULL OR m.kind = @kind) AND (@status IS NULL OR m.status = @status)`,
      )
      .all({ kind: q.kind ?? null, status: q.status ?? null })
      .map((r) => (r as { id: number }).id);
    where.push(
      '(tid IN (SELECT value FROM json_each(:ids)) OR sid IN (SELECT value FROM json_each(:ids)) OR bid IN (SELECT value FROM json_each(:ids)))',
    );
    params.ids = JSON.stringify(ids);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // Lines were written in time order: the row id is the time order, ties included.
  const direction = q.descending ? 'DESC' : 'ASC';
  const order = q.sort === 'amount' ? `abs(amount) ${direction}, id` : `id ${direction}`;
  const total = (db.prepare(`SELECT count(*) AS n FROM review_groups ${filter}`).get(params) as { n: number })
    .n;
  const page = db
    .prepare(
      `SELECT tid, sid, bid FROM review_groups ${filter} ORDER BY ${order} LIMIT :limit OFFSET :offset`,
    )
    .all({ ...params, limit: q.limit, offset: q.offset }) as Array<{
    tid: number | null;
    sid: number | null;
    bid: number | null;
  }>;
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
