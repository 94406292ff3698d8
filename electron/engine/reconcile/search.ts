import type { Db } from '../store/database';
import { listMismatches, type StoredMismatch } from './cases';
import { loadRecords, recordsById } from './load';
import { matchedRecords } from './review-lines';
import type { ReconRecord } from './types';

/** The store manager's question at the counter: any combination narrows the search. */
export interface SearchQuery {
  rrn?: string;
  trace?: string;
  batch?: string;
  cardLast4?: string;
  terminalNo?: string;
  /** Inclusive amount range in fen; give both the same for an exact amount. */
  minFen?: number;
  maxFen?: number;
  /** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS', inclusive. */
  from?: string;
  to?: string;
}

const FILTERS: Array<[keyof SearchQuery, string]> = [
  ['rrn', 'r.rrn = :rrn'],
  ['trace', 'r.trace = :trace'],
  ['batch', 'r.batch = :batch'],
  ['cardLast4', 'r.card_last4 = :cardLast4'],
  ['terminalNo', 'r.terminal_no = :terminalNo'],
  ['minFen', 'r.amount_fen >= :minFen'],
  ['maxFen', 'r.amount_fen <= :maxFen'],
  ['from', 'r.txn_time >= :from'],
  ['to', 'r.txn_time <= :to'],
];

/** Records on any side matching every given criterion, oldest first. */
export function searchRecords(db: Db, q: SearchQuery): ReconRecord[] {
  const params: Record<string, unknown> = {};
  const clauses: string[] = [];
  for (const [key, sql] of FILTERS) {
    const value = q[key];
    if (value === undefined) continue;
    clauses.push(sql);
    if (key === 'from') params.from = String(value).length === 10 ? `${value} 00:00:00` : value;
    else if (key === 'to') params.to = String(value).length === 10 ? `${value} 23:59:59` : value;
    else params[key] = value;
  }
  if (clauses.length === 0) return [];
  return loadRecords(db, { sql: clauses.join(' AND '), params }).sort(
    (a, b) => (a.txnTime ?? '').localeCompare(b.txnTime ?? '') || a.id - b.id,
  );
}

export interface SearchAnswer {
  record: ReconRecord;
  matchedWith: ReconRecord | null;
  mismatches: StoredMismatch[];
}

/** Each hit with its counterpart on the other side and the open mismatches it is part of. The
 *  stored reconcile results must be current (ensureReconciled). */
export function answerSearch(db: Db, q: SearchQuery): SearchAnswer[] {
  const hits = searchRecords(db, q);
  if (hits.length === 0) return [];
  const ids = JSON.stringify(hits.map((r) => r.id));
  // Only the mismatches that name a hit, not every mismatch with all its records.
  const named = db
    .prepare(
      `SELECT DISTINCT m.id FROM mismatches m, json_each(m.record_ids) j
       WHERE j.value IN (SELECT value FROM json_each(?))`,
    )
    .all(ids) as Array<{ id: string }>;
  const stored = listMismatches(db, { ids: named.map((m) => m.id) });
  // Every hit's counterpart, then one load of them, however many hits a date range gives.
  const matched = matchedRecords(db);
  const pairs = hits.flatMap((r) => {
    const other = matched.get(r.id);
    return other === undefined ? [] : [{ id: r.id, other }];
  });
  const others = recordsById(
    db,
    pairs.map((p) => p.other),
  );
  const otherOf = new Map(pairs.map((p) => [p.id, others.get(p.other) ?? null]));
  return hits.map((r) => ({
    record: r,
    matchedWith: otherOf.get(r.id) ?? null,
    mismatches: stored.filter((m) => m.status !== 'closed' && m.records.some((x) => x.id === r.id)),
  }));
}
