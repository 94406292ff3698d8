import type { ReconRecord } from '../../../../electron/engine/reconcile/types';
import { wallSeconds } from '../../../../electron/engine/store/fingerprint';

let next = 1;

/** A record as loaded for reconciliation; defaults describe a successful debit sale. */
export function rec(over: Partial<ReconRecord> & Pick<ReconRecord, 'source' | 'txnTime'>): ReconRecord {
  const id = next++;
  const base: ReconRecord = {
    id,
    fp: id * 7919,
    file: `${over.source}.csv`,
    sheet: null,
    row: id + 1,
    ts: 0,
    source: over.source,
    txnTime: over.txnTime,
    clearDate: null,
    merchantNo: '898310058120001',
    merchantName: null,
    terminalNo: '12345678',
    cardNo: '622202******1234',
    cardLast4: '1234',
    cardType: 'debit',
    txnType: 'sale',
    status: 'success',
    amountFen: 10_000,
    feeFen: null,
    netFen: null,
    rrn: null,
    trace: null,
    batch: '000001',
    authCode: null,
    orderNo: null,
    channelTxnNo: null,
    origRrn: null,
    origTrace: null,
    origOrderNo: null,
    counterparty: null,
    counterpartyAccount: null,
    summary: null,
    balanceFen: null,
    flags: [],
  };
  // Every call is a new record, even when built from another one's fields.
  const r = { ...base, ...over, id: base.id, fp: base.fp, row: base.row };
  if (r.cardNo !== base.cardNo && over.cardLast4 === undefined) r.cardLast4 = r.cardNo?.slice(-4) ?? null;
  r.ts = wallSeconds(r.txnTime);
  return r;
}

/** A terminal sale and the settlement line that clears it (fee at the debit rate). */
export function settledSale(time: string, amountFen: number, rrn: string, over: Partial<ReconRecord> = {}) {
  const t = rec({ source: 'terminal', txnTime: time, amountFen, rrn, trace: rrn.slice(-6), ...over });
  const s = rec({
    source: 'settlement',
    txnTime: time,
    clearDate: time.slice(0, 10),
    amountFen,
    rrn,
    trace: rrn.slice(-6),
    feeFen: Math.min(Math.floor((amountFen * 50 + 5000) / 10000), 2000),
    ...over,
  });
  return [t, s] as const;
}
