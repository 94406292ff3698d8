import { CARD_TYPES, SOURCES, TXN_STATUSES, TXN_TYPES } from '../../../shared/records';
import type { Db } from '../store/database';
import { wallSeconds } from '../store/fingerprint';
import type { ReconRecord } from './types';

// Columns in the order of the raw rows below: positional access avoids building a row object
// per record, which matters at a million records.
const NO_FLAGS: ReconRecord['flags'] = Object.freeze([]) as unknown as ReconRecord['flags'];

const SELECT = `SELECT r.id, r.fp, r.row_no, i.file_name, i.sheet, r.source, r.txn_time, r.clear_date,
  r.merchant_no, r.terminal_no, r.card_no, r.card_last4, r.card_type, r.txn_type, r.status, r.amount_fen,
  r.fee_fen, r.net_fen, r.rrn, r.trace, r.batch, r.order_no, r.orig_rrn, r.orig_trace, r.orig_order_no,
  r.flags, r.extra
  FROM records r JOIN imports i ON i.id = r.import_id`;

/**
 * Stored records with their provenance, for reconciliation and search, in storage order. `where`
 * filters them with named parameters over the records table (alias r). The free-text fields
 * (names, 摘要) are decoded for bank statement lines, which are matched on them, and for the few
 * records a filtered load returns; a full load leaves them null on card records.
 */
export function loadRecords(db: Db, where?: { sql: string; params: Record<string, unknown> }): ReconRecord[] {
  const stmt = db.prepare(`${SELECT} ${where ? `WHERE ${where.sql}` : ''} ORDER BY r.id`).raw(true);
  const out: ReconRecord[] = [];
  // Terminal, merchant, batch, dates and file names repeat across millions of records: keep one
  // copy of each instead of one per record.
  const pool = new Map<string, string>();
  const shared = (v: unknown): string | null => {
    if (typeof v !== 'string') return null;
    const known = pool.get(v);
    if (known !== undefined) return known;
    if (pool.size < 1_000_000) pool.set(v, v);
    return v;
  };
  for (const c of stmt.iterate(where?.params ?? {}) as Iterable<unknown[]>) {
    const source = SOURCES[c[5] as number]!;
    const extra =
      c[26] instanceof Uint8Array && (where !== undefined || source === 'statement')
        ? (JSON.parse(Buffer.from(c[26]).toString('utf8')) as Record<string, string | number | undefined>)
        : undefined;
    const txnTime = c[6] as string | null;
    out.push({
      id: c[0] as number,
      fp: c[1] as number,
      row: c[2] as number,
      file: shared(c[3])!,
      sheet: shared(c[4]),
      ts: wallSeconds(txnTime),
      source,
      txnTime,
      clearDate: shared(c[7]),
      merchantNo: shared(c[8]),
      merchantName: (extra?.merchantName as string | undefined) ?? null,
      terminalNo: shared(c[9]),
      cardNo: c[10] as string | null,
      cardLast4: shared(c[11]),
      cardType: CARD_TYPES[c[12] as number]!,
      txnType: TXN_TYPES[c[13] as number]!,
      status: TXN_STATUSES[c[14] as number]!,
      amountFen: c[15] as number | null,
      feeFen: c[16] as number | null,
      netFen: c[17] as number | null,
      rrn: c[18] as string | null,
      trace: c[19] as string | null,
      batch: shared(c[20]),
      authCode: (extra?.authCode as string | undefined) ?? null,
      orderNo: c[21] as string | null,
      channelTxnNo: (extra?.channelTxnNo as string | undefined) ?? null,
      origRrn: c[22] as string | null,
      origTrace: c[23] as string | null,
      origOrderNo: c[24] as string | null,
      counterparty: (extra?.counterparty as string | undefined) ?? null,
      counterpartyAccount: (extra?.counterpartyAccount as string | undefined) ?? null,
      summary: (extra?.summary as string | undefined) ?? null,
      balanceFen: (extra?.balanceFen as number | undefined) ?? null,
      flags:
        typeof c[25] === 'string' && c[25] !== '' ? (c[25].split(',') as ReconRecord['flags']) : NO_FLAGS,
    });
  }
  return out;
}
