import type { ReconRecord } from '../../../../electron/engine/reconcile/types';
import { wallSeconds } from '../../../../electron/engine/store/fingerprint';
import { normalizedSale } from '../../../helpers/records';

let next = 1;

/** A record as loaded for reconciliation; defaults describe a successful debit sale. */
export function rec(over: Partial<ReconRecord> & Pick<ReconRecord, 'source' | 'txnTime'>): ReconRecord {
  const id = next++;
  const base: ReconRecord = {
    ...normalizedSale({ source: over.source, txnTime: over.txnTime }),
    id,
    fp: id * 7919,
    file: `${over.source}.csv`,
    sheet: null,
    row: id + 1,
    ts: 0,
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
