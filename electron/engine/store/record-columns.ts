import type { NormalizedRecord } from '../../../shared/records';

/** The record fields in the order of the `records` table's data columns: one list serves the
 *  insert statement, the row builder and the reader, so they cannot drift apart. */
export const RECORD_FIELDS = [
  ['source', 'source'],
  ['txn_time', 'txnTime'],
  ['clear_date', 'clearDate'],
  ['merchant_no', 'merchantNo'],
  ['merchant_name', 'merchantName'],
  ['terminal_no', 'terminalNo'],
  ['card_no', 'cardNo'],
  ['card_last4', 'cardLast4'],
  ['card_type', 'cardType'],
  ['txn_type', 'txnType'],
  ['status', 'status'],
  ['amount_fen', 'amountFen'],
  ['fee_fen', 'feeFen'],
  ['net_fen', 'netFen'],
  ['rrn', 'rrn'],
  ['trace', 'trace'],
  ['batch', 'batch'],
  ['auth_code', 'authCode'],
  ['order_no', 'orderNo'],
  ['channel_txn_no', 'channelTxnNo'],
  ['orig_rrn', 'origRrn'],
  ['orig_trace', 'origTrace'],
  ['orig_order_no', 'origOrderNo'],
  ['counterparty', 'counterparty'],
  ['counterparty_account', 'counterpartyAccount'],
  ['summary', 'summary'],
  ['balance_fen', 'balanceFen'],
] as const satisfies ReadonlyArray<readonly [string, Exclude<keyof NormalizedRecord, 'flags'>]>;

export const RECORD_SQL_COLUMNS = [...RECORD_FIELDS.map(([col]) => col), 'flags'];

/** Appends a record's column values (without provenance) to `out`. */
export function pushRecordValues(out: unknown[], r: NormalizedRecord): void {
  for (const [, key] of RECORD_FIELDS) out.push(r[key]);
  out.push(r.flags.length > 0 ? r.flags.join(',') : null);
}

/** The stored row back as a NormalizedRecord. */
export function recordFromRow(row: Record<string, unknown>): NormalizedRecord {
  const r: Record<string, unknown> = Object.create(null);
  for (const [col, key] of RECORD_FIELDS) r[key] = row[col] ?? null;
  r.flags = typeof row.flags === 'string' && row.flags !== '' ? row.flags.split(',') : [];
  return r as unknown as NormalizedRecord;
}
