import { indexBy, isReversal, isSale } from './match';
import type { ReconRecord } from './types';

const DAY = 86_400;
const cardKey = (r: ReconRecord) => r.cardNo ?? r.cardLast4;
const day = (r: ReconRecord) => r.txnTime?.slice(0, 10) ?? null;

/**
 * Links each void, refund and reversal of one source to the sale it undoes: by the original's RRN,
 * trace or order number where the file carries one, else the latest earlier sale on the same
 * terminal with the same card — for the full amount the same day (voids, reversals), or at least
 * the refunded amount (refunds may be partial and come later).
 */
export function linkReversals(records: readonly ReconRecord[]): Map<number, number> {
  const links = new Map<number, number>();
  const reversals = records.filter(isReversal);
  if (reversals.length === 0) return links;
  // Index only the sales some reversal could point at, not every sale of a million-row file.
  const wanted = new Set<string>();
  for (const r of reversals) {
    for (const k of [r.origRrn, r.origOrderNo, r.orderNo, r.origTrace, cardKey(r)])
      if (k !== null) wanted.add(k);
  }
  const sales = records.filter(
    (s) =>
      isSale(s) &&
      ((s.rrn !== null && wanted.has(s.rrn)) ||
        (s.trace !== null && wanted.has(s.trace)) ||
        (s.orderNo !== null && wanted.has(s.orderNo)) ||
        (cardKey(s) !== null && wanted.has(cardKey(s)!))),
  );
  const used = new Set<number>();
  const byRrn = indexBy(sales, (s) => s.rrn);
  const byTrace = indexBy(sales, (s) => (s.trace === null ? null : `${s.terminalNo ?? ''}|${s.trace}`));
  const byOrder = indexBy(sales, (s) => s.orderNo);
  const byCard = indexBy(sales, (s) => (cardKey(s) === null ? null : `${s.terminalNo ?? ''}|${cardKey(s)}`));
  const link = (r: ReconRecord, candidates: readonly ReconRecord[], exact: boolean) => {
    const options = candidates
      .filter((s) => !used.has(s.id) && s.ts <= r.ts + (exact ? DAY : 0) && s.id !== r.id)
      .filter((s) => exact || fits(r, s));
    if (options.length === 0) return false;
    const sale = options.reduce((a, b) => (b.ts > a.ts ? b : a));
    links.set(r.id, sale.id);
    // A sale is undone once by a void or reversal; partial refunds may share one sale.
    if (r.txnType !== 'refund') used.add(sale.id);
    return true;
  };
  for (const r of reversals) {
    if (r.origRrn !== null && link(r, byRrn(r.origRrn), true)) continue;
    if (r.origTrace !== null && link(r, byTrace(`${r.terminalNo ?? ''}|${r.origTrace}`), true)) continue;
    const order = r.origOrderNo ?? r.orderNo;
    if (order !== null && link(r, byOrder(order), true)) continue;
    const card = cardKey(r);
    if (card !== null) link(r, byCard(`${r.terminalNo ?? ''}|${card}`), false);
  }
  return links;
}

function fits(reversal: ReconRecord, sale: ReconRecord): boolean {
  if (reversal.amountFen === null || sale.amountFen === null) return false;
  if (reversal.txnType === 'refund') return sale.amountFen >= reversal.amountFen;
  return sale.amountFen === reversal.amountFen && day(sale) === day(reversal);
}
