import { TXN } from '../store/record-columns';
import { KeyIndex, mix } from './key-index';
import { REVERSAL, SALE } from './match';
import { NO_KEY, type RecordTable, rowsWhere } from './table';

const DAY = 86_400;

/** A card's key: the masked number, or the last 4 digits where that is all there is. */
export function cardKey(t: RecordTable, r: number): number {
  const card = t.cardNo[r]!;
  return card === NO_KEY ? t.cardLast4[r]! : card;
}

/**
 * Links each void, refund and reversal among `rows` (one source) to the sale it undoes: by the
 * original's RRN, trace or order number where the file carries one, else the latest earlier sale
 * on the same terminal with the same card — for the full amount the same day (voids, reversals),
 * or at least the refunded amount (refunds may be partial and come later). Rows to rows.
 */
export function linkReversals(t: RecordTable, rows: Int32Array): Map<number, number> {
  const links = new Map<number, number>();
  const reversals = rowsWhere(rows, (r) => REVERSAL[t.txnType[r]!] === 1);
  if (reversals.length === 0) return links;
  // Index only the sales some reversal could point at, not every sale of a million-row file.
  const wanted = new Set<number>();
  for (const r of reversals) {
    for (const k of [t.origRrn[r]!, t.origOrderNo[r]!, t.orderNo[r]!, t.origTrace[r]!, cardKey(t, r)])
      if (k !== NO_KEY) wanted.add(k);
  }
  const sales = rowsWhere(
    rows,
    (s) =>
      SALE[t.txnType[s]!] === 1 &&
      (wanted.has(t.rrn[s]!) ||
        wanted.has(t.trace[s]!) ||
        wanted.has(t.orderNo[s]!) ||
        wanted.has(cardKey(t, s))),
  );
  const used = new Set<number>();
  const byKey = (key: (s: number) => number, withTerminal: boolean) => {
    const hashOf = (s: number) => {
      const k = key(s);
      return k === NO_KEY ? null : withTerminal ? mix(mix(0, t.terminal[s]!), k) : mix(0, k);
    };
    const index = new KeyIndex(sales, hashOf);
    const found: number[] = [];
    /** The sales whose key is k (on r's terminal when withTerminal). */
    return (r: number, k: number): number[] => {
      const n = index.lookup(withTerminal ? mix(mix(0, t.terminal[r]!), k) : mix(0, k), found);
      const out: number[] = [];
      for (let e = 0; e < n; e++) {
        const s = found[e]!;
        if (key(s) === k && (!withTerminal || t.terminal[s] === t.terminal[r])) out.push(s);
      }
      return out;
    };
  };
  const byRrn = byKey((s) => t.rrn[s]!, false);
  const byTrace = byKey((s) => t.trace[s]!, true);
  const byOrder = byKey((s) => t.orderNo[s]!, false);
  const byCard = byKey((s) => cardKey(t, s), true);
  const link = (r: number, candidates: number[], exact: boolean) => {
    let sale = -1;
    for (const s of candidates) {
      if (used.has(s) || t.ts[s]! > t.ts[r]! + (exact ? DAY : 0) || s === r) continue;
      if (!exact && !fits(t, r, s)) continue;
      if (sale === -1 || t.ts[s]! > t.ts[sale]!) sale = s;
    }
    if (sale === -1) return false;
    links.set(r, sale);
    // A sale is undone once by a void or reversal; partial refunds may share one sale.
    if (t.txnType[r] !== TXN.refund) used.add(sale);
    return true;
  };
  for (const r of reversals) {
    const [origRrn, origTrace] = [t.origRrn[r]!, t.origTrace[r]!];
    if (origRrn !== NO_KEY && link(r, byRrn(r, origRrn), true)) continue;
    if (origTrace !== NO_KEY && link(r, byTrace(r, origTrace), true)) continue;
    const order = t.origOrderNo[r] === NO_KEY ? t.orderNo[r]! : t.origOrderNo[r]!;
    if (order !== NO_KEY && link(r, byOrder(r, order), true)) continue;
    const card = cardKey(t, r);
    if (card !== NO_KEY) link(r, byCard(r, card), false);
  }
  return links;
}

function fits(t: RecordTable, reversal: number, sale: number): boolean {
  const [undone, sold] = [t.amount[reversal]!, t.amount[sale]!];
  if (Number.isNaN(undone) || Number.isNaN(sold)) return false;
  if (t.txnType[reversal] === TXN.refund) return sold >= undone;
  return sold === undone && t.date[sale] === t.date[reversal];
}
