import type { ApiRecord, ReviewQuery, ReviewRow } from '../../../shared/api';
import type { Db } from '../store/database';
import { loadRecords } from './load';
import type { ReconRecord } from './types';

// The review table: one line per matched group — terminal | settlement | bank — with empty sides
// where a record is missing. Each reconcile run writes the groups into review_groups in time order,
// so that a page of a million-line table is an indexed read.

const GROUPS = `
  SELECT t.id AS tid, m.settlement_id AS sid, NULL AS bid, t.txn_time AS time, t.amount_fen AS amount,
         t.merchant_no AS merchant, t.terminal_no AS terminal, t.card_last4 AS card4
    FROM records t LEFT JOIN matches m ON m.terminal_id = t.id WHERE t.source = 0
  UNION ALL
  SELECT NULL, s.id, NULL, s.txn_time, s.amount_fen, s.merchant_no, s.terminal_no, s.card_last4
    FROM records s WHERE s.source = 1 AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.settlement_id = s.id)
  UNION ALL
  SELECT NULL, NULL, b.id, b.txn_time, b.amount_fen, b.merchant_no, b.terminal_no, b.card_last4
    FROM records b WHERE b.source = 2`;

const DIFFERS: ReviewRow['differs'] = ['amountFen', 'txnTime', 'cardLast4', 'rrn', 'trace', 'batch'];

export function toApiRecord(r: ReconRecord): ApiRecord {
  const { fp: _fp, ts: _ts, ...rest } = r;
  return rest;
}

/** Rewrites the review table's lines after a reconcile run; `flagged` are the records of the
 *  mismatches the run reported, `pending` the sales waiting for their settlement day. Runs inside
 *  the run's transaction. */
export function rebuildReviewGroups(db: Db, flagged: Iterable<number>, pending: readonly number[]): void {
  // Building the indexes once over the finished table is several times faster than keeping four
  // indexes up to date through a million inserts; their definitions come from the schema itself.
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_groups' AND sql IS NOT NULL",
    )
    .all() as Array<{ name: string; sql: string }>;
  for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  db.prepare('DELETE FROM review_groups').run();
  db.prepare(
    `INSERT INTO review_groups (time, amount, merchant, terminal, card4, tid, sid, bid)
     SELECT time, amount, merchant, terminal, card4, tid, sid, bid FROM (${GROUPS})
     ORDER BY time, coalesce(tid, sid, bid)`,
  ).run();
  for (const { sql } of indexes) db.exec(sql);
  db.prepare(
    `UPDATE review_groups SET problem = 1 WHERE tid IN (SELECT value FROM json_each(:ids))
       OR sid IN (SELECT value FROM json_each(:ids)) OR bid IN (SELECT value FROM json_each(:ids))`,
  ).run({ ids: JSON.stringify([...flagged]) });
  if (pending.length > 0)
    db.prepare('UPDATE review_groups SET pending = 1 WHERE tid IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(pending),
    );
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
  add('time >= :from', 'from', q.from && (q.from.length === 10 ? `${q.from} 00:00:00` : q.from));
  add('time <= :to', 'to', q.to && (q.to.length === 10 ? `${q.to} 23:59:59` : q.to));
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
  const records = new Map(
    loadRecords(db, {
      sql: 'r.id IN (SELECT value FROM json_each(:ids))',
      params: { ids: JSON.stringify(ids) },
    }).map((r) => [r.id, r]),
  );
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
