// The canonical columns an import maps a file's headers onto. A preset or a user's column mapping
// says which header feeds which field; normalisation turns the fields into a NormalizedRecord.

import type { Bilingual } from './records';

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

/** How the mapping editor names each field. */
export const FIELD_LABELS: Record<Field, Bilingual> = {
  txnDateTime: { zh: '交易日期时间', en: 'Date and time' },
  txnDate: { zh: '交易日期', en: 'Date' },
  txnTime: { zh: '交易时间', en: 'Time' },
  clearDate: { zh: '清算日期', en: 'Clearing date' },
  merchantNo: { zh: '商户号', en: 'Merchant no.' },
  merchantName: { zh: '商户名称', en: 'Merchant name' },
  terminalNo: { zh: '终端号', en: 'Terminal' },
  cardNo: { zh: '卡号', en: 'Card no.' },
  cardType: { zh: '卡类型', en: 'Card type' },
  txnType: { zh: '交易类型', en: 'Transaction type' },
  status: { zh: '交易状态', en: 'Status' },
  amount: { zh: '交易金额', en: 'Amount' },
  fee: { zh: '手续费', en: 'Fee' },
  net: { zh: '结算金额', en: 'Net amount' },
  refundAmount: { zh: '退款金额', en: 'Refund amount' },
  rrn: { zh: '参考号', en: 'RRN' },
  trace: { zh: '凭证号', en: 'Trace' },
  batch: { zh: '批次号', en: 'Batch' },
  authCode: { zh: '授权码', en: 'Auth code' },
  orderNo: { zh: '订单号', en: 'Order no.' },
  channelTxnNo: { zh: '渠道流水号', en: 'Channel reference' },
  origRrn: { zh: '原参考号', en: 'Original RRN' },
  origTrace: { zh: '原凭证号', en: 'Original trace' },
  origOrderNo: { zh: '原订单号', en: 'Original order no.' },
  counterparty: { zh: '对方户名', en: 'Counterparty' },
  counterpartyAccount: { zh: '对方账号', en: 'Counterparty account' },
  summary: { zh: '摘要', en: 'Narrative' },
  remark: { zh: '备注/用途', en: 'Remark' },
  balance: { zh: '余额', en: 'Balance' },
  credit: { zh: '贷方发生额（收入）', en: 'Credit (money in)' },
  debit: { zh: '借方发生额（支出）', en: 'Debit (money out)' },
  direction: { zh: '借贷方向', en: 'Debit/credit flag' },
};
