import type { TxnType } from '../../../shared/records';
import { TXN } from '../store/record-columns';
import { KeyIndex, mix } from './key-index';
import type { ReconcileSettings } from './settings';
import { NO_KEY, NONE, type RecordTable, rowsWhere } from './table';
import type { ReconRecord } from './types';

const DAY = 86_400;

/** A 0/1 flag per transaction type code. */
function typeFlags(types: readonly TxnType[]): Uint8Array {
  const flags = new Uint8Array(16);
  for (const t of types) flags[TXN[t]] = 1;
  return flags;
}

/** Card and QR money movements that a settlement line can stand for. */
const MATCHABLE = typeFlags(['sale', 'preauth_complete', 'unknown', 'void', 'refund', 'reversal']);
/** Money taken from the card holder: a sale, a completed pre-authorisation, or a line of no stated type. */
export const SALE = typeFlags(['sale', 'preauth_complete', 'unknown']);
/** Money given back: a void, refund or reversal. */
export const REVERSAL = typeFlags(['void', 'refund', 'reversal']);

/** +1 for money in, −1 for a void, refund or reversal. */
export function signOf(r: ReconRecord): 1 | -1 {
  return REVERSAL[TXN[r.txnType]] === 1 ? -1 : 1;
}

/** Pairs a user decided by hand, as table rows: forced matches, and pairs never to match. */
export interface ManualPairs {
  matched: Array<[terminalRow: number, settlementRow: number]>;
  /** unmatchedKey(t, terminalRow, settlementRow) of each: a number, as the matcher asks for every
   *  candidate pair (a string per pair was a million strings a run). */
  unmatched: Set<number>;
}

/** A pair of rows as ManualPairs.unmatched holds it. */
export const unmatchedKey = (t: RecordTable, terminalRow: number, settlementRow: number): number =>
  terminalRow * t.length + settlementRow;

/** Terminal ↔ settlement pairs: each paired row's counterpart (−1: none), and the terminal rows in
 *  the order they were paired (manual pairs first, then rule by rule). */
export interface Pairs {
  counterpart: Int32Array;
  order: Int32Array;
}

/**
 * Pairs terminal records with settlement records one to one, in the order the contract sets:
 * same RRN (same terminal, within rrnDays); then the merchant order number (QR bills); then
 * terminal + batch + trace; then terminal + amount + card last 4 (when both sides have it) within
 * ± matchWindowSec, closest in time first.
 */
export function matchTerminalToSettlement(
  t: RecordTable,
  terminal: Int32Array,
  settlement: Int32Array,
  settings: ReconcileSettings,
  manual: ManualPairs,
): Pairs {
  const counterpart = new Int32Array(t.length).fill(-1);
  // Sized up front: a terminal row is paired once at most. A list grown pair by pair was copied
  // into fresh memory again and again, 0.19 s of the benchmark's reconcile in page faults (perf).
  const order = new Int32Array(terminal.length);
  let paired = 0;
  const unmatched = manual.unmatched.size > 0 ? manual.unmatched : null;
  const free = (s: number, r: number) =>
    counterpart[s] === -1 && MATCHABLE[t.txnType[s]!] === 1 && !unmatched?.has(unmatchedKey(t, r, s));
  const pair = (r: number, s: number) => {
    counterpart[r] = s;
    counterpart[s] = r;
    order[paired++] = r;
  };
  // A user's own matches come first and win over every rule.
  for (const [r, s] of manual.matched) if (counterpart[r] === -1 && counterpart[s] === -1) pair(r, s);

  const sameTerminal = (a: number, b: number) =>
    t.terminal[a] === NONE || t.terminal[b] === NONE || t.terminal[a] === t.terminal[b];
  const sameDirection = (a: number, b: number) => REVERSAL[t.txnType[a]!] === REVERSAL[t.txnType[b]!];
  const found: number[] = [];
  /** Of the `n` rows found, the first closest in time to r among those `fits` accepts; −1: none. */
  const closest = (r: number, n: number, fits: (s: number) => boolean) => {
    let best = -1;
    let bestGap = 0;
    for (let k = 0; k < n; k++) {
      const s = found[k]!;
      if (!fits(s)) continue;
      const gap = Math.abs(t.ts[s]! - t.ts[r]!);
      if (best === -1 || gap < bestGap) {
        best = s;
        bestGap = gap;
      }
    }
    return best;
  };

  // The terminal records each step may still pair: after the first step, a few out of a million.
  let open = rowsWhere(terminal, (r) => counterpart[r] === -1 && MATCHABLE[t.txnType[r]!] === 1);
  const stillOpen = () => {
    open = rowsWhere(open, (r) => counterpart[r] === -1);
  };

  // 1. RRN
  const keyed = (rows: Int32Array, key: Float64Array) =>
    new KeyIndex(rows, (s) => (key[s] === NO_KEY ? null : mix(0, key[s]!)));
  const byRrn = keyed(settlement, t.rrn);
  for (const r of open) {
    const rrn = t.rrn[r]!;
    if (rrn === NO_KEY) continue;
    const best = closest(
      r,
      byRrn.lookup(mix(0, rrn), found),
      (s) =>
        t.rrn[s] === rrn &&
        free(s, r) &&
        sameTerminal(r, s) &&
        sameDirection(r, s) &&
        Math.abs(t.ts[s]! - t.ts[r]!) <= settings.rrnDays * DAY,
    );
    if (best !== -1) pair(r, best);
  }

  // The later steps only concern what step 1 left over: index just those records.
  const rest = rowsWhere(settlement, (s) => counterpart[s] === -1);
  stillOpen();

  // QR bills (WeChat Pay, Alipay) carry the merchant order number instead of an RRN.
  const byOrder = keyed(rest, t.orderNo);
  for (const r of open) {
    const order = t.orderNo[r]!;
    if (order === NO_KEY) continue;
    const best = closest(
      r,
      byOrder.lookup(mix(0, order), found),
      (s) => t.orderNo[s] === order && free(s, r) && sameDirection(r, s),
    );
    if (best !== -1) pair(r, best);
  }

  // 2. Terminal + batch + trace
  const traceHash = (r: number) =>
    t.terminal[r] === NONE || t.batch[r] === NO_KEY || t.trace[r] === NO_KEY
      ? null
      : mix(mix(mix(0, t.terminal[r]!), t.batch[r]!), t.trace[r]!);
  const byTrace = new KeyIndex(rest, traceHash);
  stillOpen();
  for (const r of open) {
    const hash = traceHash(r);
    if (hash === null) continue;
    const best = closest(
      r,
      byTrace.lookup(hash, found),
      (s) =>
        t.terminal[s] === t.terminal[r] &&
        t.batch[s] === t.batch[r] &&
        t.trace[s] === t.trace[r] &&
        free(s, r) &&
        sameDirection(r, s),
    );
    if (best !== -1) pair(r, best);
  }

  // 3. Terminal + amount (+ card last 4) within the time window, closest pairs first.
  const amountHash = (r: number) =>
    Number.isNaN(t.amount[r]!) ? null : mix(mix(0, t.terminal[r]!), t.amount[r]!);
  const byAmount = new KeyIndex(rest, amountHash);
  const candidates: Array<{ r: number; s: number; gap: number }> = [];
  stillOpen();
  for (const r of open) {
    const hash = amountHash(r);
    if (hash === null) continue;
    const n = byAmount.lookup(hash, found);
    for (let k = 0; k < n; k++) {
      const s = found[k]!;
      if (t.terminal[s] !== t.terminal[r] || t.amount[s] !== t.amount[r]) continue;
      if (!free(s, r) || !sameDirection(r, s)) continue;
      const [a, b] = [t.cardLast4[r]!, t.cardLast4[s]!];
      if (a !== NO_KEY && b !== NO_KEY && a !== b) continue;
      const gap = Math.abs(t.ts[s]! - t.ts[r]!);
      if (gap <= settings.matchWindowSec) candidates.push({ r, s, gap });
    }
  }
  candidates.sort((a, b) => a.gap - b.gap || t.id[a.r]! - t.id[b.r]! || t.id[a.s]! - t.id[b.s]!);
  for (const { r, s } of candidates) if (counterpart[r] === -1 && counterpart[s] === -1) pair(r, s);
  return { counterpart, order: order.subarray(0, paired) };
}

/**
 * The groups of two or more of `rows` whose keys (a table's number keys: NO_KEY for none) are equal,
 * in order of first appearance, each in the order of `rows`. The keys are sorted to find the few
 * that repeat, and only those rows grouped: most keys (cards, RRNs) appear once, and with a hash
 * index lookup per row the duplicate-charge rule took 0.8 s of the benchmark's reconcile against
 * 0.4 s (CPU profiles, by hand). Sorted by their bits as 64-bit integers, which brings equal keys
 * together as well (a table's keys are never NaN nor −0) and took 89–92 ms a million keys against
 * 138–153 ms sorted as numbers (by hand).
 */
export function repeats(rows: ArrayLike<number>, keyOf: (row: number) => number): number[][] {
  const keys = new Float64Array(rows.length);
  for (let e = 0; e < rows.length; e++) keys[e] = keyOf(rows[e]!);
  const sorted = keys.slice();
  new BigInt64Array(sorted.buffer).sort();
  const repeated = new Set<number>();
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i] === sorted[i - 1] && sorted[i] !== NO_KEY) repeated.add(sorted[i]!);
  if (repeated.size === 0) return [];
  const groups = new Map<number, number[]>();
  for (let e = 0; e < rows.length; e++) {
    const key = keys[e]!;
    if (!repeated.has(key)) continue;
    const group = groups.get(key);
    if (group) group.push(rows[e]!);
    else groups.set(key, [rows[e]!]);
  }
  return [...groups.values()];
}
