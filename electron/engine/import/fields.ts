// The canonical columns an import maps a file's headers onto. A preset or a user mapping says
// which header feeds which field; normalisation turns the fields into a NormalizedRecord.

export const FIELDS = [
  // When: one combined column, or a date and a time column, or both forms.
  'txnDateTime',
  'txnDate',
  'txnTime',
  'clearDate',
  'merchantNo',
  'merchantName',
  'terminalNo',
  'cardNo',
  'cardType',
  'txnType',
  'status',
  'amount',
  'fee',
  'net',
  /** A separate refund amount column (WeChat: 退款金额), used when the row is a refund. */
  'refundAmount',
  'rrn',
  'trace',
  'batch',
  'authCode',
  'orderNo',
  'channelTxnNo',
  'origRrn',
  'origTrace',
  'origOrderNo',
  'counterparty',
  'counterpartyAccount',
  'summary',
  /** Extra free text (备注, 用途, 附言) appended to summary. */
  'remark',
  'balance',
  /** Statements: 贷方发生额 / 收入 (money in). */
  'credit',
  /** Statements: 借方发生额 / 支出 (money out). */
  'debit',
  /** Statements: 来账/往账, 借/贷 flag for a single signed or unsigned amount column. */
  'direction',
] as const;
export type Field = (typeof FIELDS)[number];

/** Known widths of identifiers, used to restore the leading zeros Excel strips from numbers. */
export const IDENTIFIER_WIDTHS: Partial<Record<Field, number>> = {
  rrn: 12,
  origRrn: 12,
  trace: 6,
  origTrace: 6,
  batch: 6,
  authCode: 6,
  terminalNo: 8,
  merchantNo: 15,
};

/** A mapping from fields to 0-based column indexes of the header row. */
export type ColumnIndexes = Partial<Record<Field, number>>;
