// The normalised record model shared by the engine and the UI. Money is integer fen;
// identifiers are text; times are local (Asia/Shanghai) wall-clock strings, never Date objects,
// so that nothing is silently shifted between time zones.

export const SOURCES = ['terminal', 'settlement', 'statement'] as const;
export type Source = (typeof SOURCES)[number];

/** How the UI, the command line and reports name each source. */
export const SOURCE_LABELS: Record<Source, { zh: string; en: string }> = {
  terminal: { zh: '终端交易', en: 'terminal' },
  settlement: { zh: '清算明细', en: 'settlement' },
  statement: { zh: '银行流水', en: 'bank statement' },
};

/** Card types a fee schedule prices; a record's type may also be unknown. */
export const FEE_CARD_TYPES = ['debit', 'credit', 'quasi_credit', 'prepaid', 'qr'] as const;
export type FeeCardType = (typeof FEE_CARD_TYPES)[number];
export const CARD_TYPES = [...FEE_CARD_TYPES, 'unknown'] as const;
export type CardType = (typeof CARD_TYPES)[number];

/** sale/void/refund/… for card and QR records; credit/debit (来账/往账) for bank statement lines. */
export const TXN_TYPES = [
  'sale',
  'void',
  'refund',
  'preauth_complete',
  'reversal',
  'credit',
  'debit',
  'unknown',
] as const;
export type TxnType = (typeof TXN_TYPES)[number];

export const TXN_STATUSES = ['success', 'failed', 'timeout', 'pending', 'unknown'] as const;
export type TxnStatus = (typeof TXN_STATUSES)[number];

export const CARD_TYPE_LABELS: Record<CardType, { zh: string; en: string }> = {
  debit: { zh: '借记卡', en: 'debit' },
  credit: { zh: '贷记卡', en: 'credit' },
  quasi_credit: { zh: '准贷记卡', en: 'quasi-credit' },
  prepaid: { zh: '预付卡', en: 'prepaid' },
  qr: { zh: '扫码', en: 'QR' },
  unknown: { zh: '未知', en: 'unknown' },
};

export const TXN_TYPE_LABELS: Record<TxnType, { zh: string; en: string }> = {
  sale: { zh: '消费', en: 'sale' },
  void: { zh: '消费撤销', en: 'void' },
  refund: { zh: '退货', en: 'refund' },
  preauth_complete: { zh: '预授权完成', en: 'pre-auth completion' },
  reversal: { zh: '冲正', en: 'reversal' },
  credit: { zh: '来账', en: 'credit' },
  debit: { zh: '往账', en: 'debit' },
  unknown: { zh: '未知', en: 'unknown' },
};

export const TXN_STATUS_LABELS: Record<TxnStatus, { zh: string; en: string }> = {
  success: { zh: '成功', en: 'success' },
  failed: { zh: '失败', en: 'failed' },
  timeout: { zh: '超时', en: 'timed out' },
  pending: { zh: '处理中', en: 'pending' },
  unknown: { zh: '未知', en: 'unknown' },
};

/** Row-level warnings kept with a stored record (the row was usable but something is off). */
export const RECORD_FLAGS = [
  'rrn_truncated',
  'trace_truncated',
  'card_truncated',
  'order_truncated',
] as const;
export type RecordFlag = (typeof RECORD_FLAGS)[number];

/** One transaction or bank line after normalisation, before it is stored. */
export interface NormalizedRecord {
  source: Source;
  /** 'YYYY-MM-DD HH:MM:SS' local time of the transaction, or of the bank line. */
  txnTime: string | null;
  /** 'YYYY-MM-DD' 清算日期 (settlement) or 记账日期 (statement); null when the file has none. */
  clearDate: string | null;
  merchantNo: string | null;
  merchantName: string | null;
  terminalNo: string | null;
  /** Masked card number as printed (first 6 + last 4), or null. */
  cardNo: string | null;
  cardLast4: string | null;
  cardType: CardType;
  txnType: TxnType;
  status: TxnStatus;
  /** Transaction amount in fen. Statement lines: signed, credits positive, debits negative. */
  amountFen: number | null;
  feeFen: number | null;
  /** 结算金额 in fen. */
  netFen: number | null;
  rrn: string | null;
  trace: string | null;
  batch: string | null;
  authCode: string | null;
  /** Merchant order number (商户订单号), for QR bills. */
  orderNo: string | null;
  /** The channel's own transaction id (微信订单号, 支付宝交易号, bank 流水号). */
  channelTxnNo: string | null;
  /** For voids/refunds: the original sale's RRN / trace / order number when the file carries it. */
  origRrn: string | null;
  origTrace: string | null;
  origOrderNo: string | null;
  /** Statement lines: 对方户名, 对方账号, 摘要/用途/备注 joined, 余额. */
  counterparty: string | null;
  counterpartyAccount: string | null;
  summary: string | null;
  balanceFen: number | null;
  flags: RecordFlag[];
}

/** A reason a row or file could not be used, in both UI languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** A language the app speaks. */
export type Lang = keyof Bilingual;

/** The text for `lang` of a pair written out in place. */
export function pick(lang: Lang, zh: string, en: string): string {
  return lang === 'zh' ? zh : en;
}
