import type { NormalizedRecord } from '../../../shared/records';

/** The normalised content of a record, as one string: two exports of the same transaction give
 *  the same key whatever their layout, encoding or file. */
export function recordKey(r: NormalizedRecord): string {
  return [
    r.source,
    r.txnTime,
    r.clearDate,
    r.merchantNo,
    r.terminalNo,
    r.cardNo,
    r.cardType,
    r.txnType,
    r.status,
    r.amountFen,
    r.feeFen,
    r.netFen,
    r.rrn,
    r.trace,
    r.batch,
    r.authCode,
    r.orderNo,
    r.channelTxnNo,
    r.origRrn,
    r.origTrace,
    r.origOrderNo,
    r.counterparty,
    r.counterpartyAccount,
    r.summary,
    r.balanceFen,
  ].join('\u001f');
}

/** A 53-bit hash (cyrb53), exact in a JS number and in an SQLite INTEGER. `seed` separates the
 *  occurrences of one key within a file. Collisions are checked by the caller, never trusted. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
