import type { ReconcileSettings } from './settings';
import type { ReconRecord } from './types';

const DAY = 86_400;

/** Card and QR money movements that a settlement line can stand for. */
const MATCHABLE = new Set(['sale', 'preauth_complete', 'unknown', 'void', 'refund', 'reversal']);

/**
 * Pairs terminal records with settlement records one to one, in the order the contract sets:
 * same RRN (same terminal, within rrnDays); then the merchant order number (QR bills); then
 * terminal + batch + trace; then terminal + amount + card last 4 (when both sides have it) within
 * ± matchWindowSec, closest in time first.
 */
export function matchTerminalToSettlement(
  terminal: readonly ReconRecord[],
  settlement: readonly ReconRecord[],
  settings: ReconcileSettings,
  manual: ManualPairs = { matched: [], unmatched: new Set() },
): Map<number, number> {
  const pairs = new Map<number, number>();
  // Settlement records already paired, a byte per record id (ids are dense row ids): lighter and
  // quicker than a set of a million numbers.
  let maxId = 0;
  for (const s of settlement) if (s.id > maxId) maxId = s.id;
  const taken = new Uint8Array(maxId + 1);
  const unmatched = manual.unmatched.size > 0 ? manual.unmatched : null;
  const free = (s: ReconRecord, t: ReconRecord) =>
    taken[s.id] === 0 && MATCHABLE.has(s.txnType) && !unmatched?.has(`${t.id}|${s.id}`);
  const pair = (t: ReconRecord, s: ReconRecord) => {
    pairs.set(t.id, s.id);
    taken[s.id] = 1;
  };
  // A user's own matches come first and win over every rule.
  for (const [t, s] of manual.matched) {
    if (!pairs.has(t) && taken[s] === 0) {
      pairs.set(t, s);
      taken[s] = 1;
    }
  }
  const sameTerminal = (a: ReconRecord, b: ReconRecord) =>
    a.terminalNo === null || b.terminalNo === null || a.terminalNo === b.terminalNo;
  const sameDirection = (a: ReconRecord, b: ReconRecord) => isReversal(a) === isReversal(b);

  // The terminal records each step may still pair: after the first step, a few out of a million.
  let open = terminal.filter((t) => !pairs.has(t.id) && MATCHABLE.has(t.txnType));
  const stillOpen = () => {
    open = open.filter((t) => !pairs.has(t.id));
  };

  // 1. RRN
  const byRrn = indexBy(settlement, (s) => s.rrn);
  for (const t of open) {
    if (t.rrn === null) continue;
    const best = closest(
      t,
      byRrn(t.rrn).filter(
        (s) =>
          free(s, t) &&
          sameTerminal(t, s) &&
          sameDirection(t, s) &&
          Math.abs(s.ts - t.ts) <= settings.rrnDays * DAY,
      ),
    );
    if (best) pair(t, best);
  }

  // The later steps only concern what step 1 left over: index just those records.
  const rest = settlement.filter((s) => taken[s.id] === 0);
  stillOpen();

  // QR bills (WeChat Pay, Alipay) carry the merchant order number instead of an RRN.
  const byOrder = indexBy(rest, (s) => s.orderNo);
  for (const t of open) {
    if (t.orderNo === null) continue;
    const best = closest(
      t,
      byOrder(t.orderNo).filter((s) => free(s, t) && sameDirection(t, s)),
    );
    if (best) pair(t, best);
  }

  // 2. Terminal + batch + trace
  const traceKey = (r: ReconRecord) =>
    r.terminalNo !== null && r.batch !== null && r.trace !== null
      ? `${r.terminalNo}|${r.batch}|${r.trace}`
      : null;
  const byTrace = indexBy(rest, traceKey);
  stillOpen();
  for (const t of open) {
    const key = traceKey(t);
    if (key === null) continue;
    const best = closest(
      t,
      byTrace(key).filter((s) => free(s, t) && sameDirection(t, s)),
    );
    if (best) pair(t, best);
  }

  // 3. Terminal + amount (+ card last 4) within the time window, closest pairs first.
  const amountKey = (r: ReconRecord) =>
    r.amountFen === null ? null : `${r.terminalNo ?? ''}|${r.amountFen}`;
  const byAmount = indexBy(rest, amountKey);
  const candidates: Array<{ t: ReconRecord; s: ReconRecord; gap: number }> = [];
  stillOpen();
  for (const t of open) {
    const key = amountKey(t);
    if (key === null) continue;
    for (const s of byAmount(key)) {
      if (!free(s, t) || !sameDirection(t, s)) continue;
      if (t.cardLast4 !== null && s.cardLast4 !== null && t.cardLast4 !== s.cardLast4) continue;
      const gap = Math.abs(s.ts - t.ts);
      if (gap <= settings.matchWindowSec) candidates.push({ t, s, gap });
    }
  }
  candidates.sort((a, b) => a.gap - b.gap || a.t.id - b.t.id || a.s.id - b.s.id);
  for (const { t, s } of candidates) if (!pairs.has(t.id) && taken[s.id] === 0) pair(t, s);
  return pairs;
}

/** Pairs a user decided by hand, as record ids: forced matches, and pairs never to match. */
export interface ManualPairs {
  matched: Array<[terminalId: number, settlementId: number]>;
  /** `${terminalId}|${settlementId}` */
  unmatched: Set<string>;
}

/** Money taken from the card holder: a sale, a completed pre-authorisation, or a line of no stated type. */
export function isSale(r: ReconRecord): boolean {
  return r.txnType === 'sale' || r.txnType === 'preauth_complete' || r.txnType === 'unknown';
}

/** +1 for money in, −1 for a void, refund or reversal. */
export function signOf(r: ReconRecord): 1 | -1 {
  return isReversal(r) ? -1 : 1;
}

export function isReversal(r: ReconRecord): boolean {
  return r.txnType === 'void' || r.txnType === 'refund' || r.txnType === 'reversal';
}

function closest(t: ReconRecord, options: readonly ReconRecord[]): ReconRecord | undefined {
  let best: ReconRecord | undefined;
  for (const s of options) if (!best || Math.abs(s.ts - t.ts) < Math.abs(best.ts - t.ts)) best = s;
  return best;
}

const NONE: readonly ReconRecord[] = Object.freeze([]);

/** Records by key. Most keys (an RRN, a trace) have one record: it is kept as is rather than in a
 *  list of its own, a million lists fewer for the collector to carry through a reconcile. */
function keyed<K>(records: readonly ReconRecord[], key: (r: ReconRecord) => K | null) {
  const index = new Map<K, ReconRecord | ReconRecord[]>();
  for (const r of records) {
    const k = key(r);
    if (k === null) continue;
    const at = index.get(k);
    if (at === undefined) index.set(k, r);
    else if (Array.isArray(at)) at.push(r);
    else index.set(k, [at, r]);
  }
  return index;
}

/** A lookup of records by key. */
export function indexBy<K>(
  records: readonly ReconRecord[],
  key: (r: ReconRecord) => K | null,
): (k: K) => readonly ReconRecord[] {
  const index = keyed(records, key);
  return (k) => {
    const at = index.get(k);
    return at === undefined ? NONE : Array.isArray(at) ? at : [at];
  };
}

/** The groups of two or more records that share a key, in order of first appearance. */
export function repeats<K>(
  records: readonly ReconRecord[],
  key: (r: ReconRecord) => K | null,
): ReconRecord[][] {
  const groups: ReconRecord[][] = [];
  for (const at of keyed(records, key).values()) if (Array.isArray(at)) groups.push(at);
  return groups;
}
