// A record's fields as people read them, one line per field with the records side by side: the
// case screen and the dispute report show the same lines.

import { yuan } from './money';
import {
  type Bilingual,
  CARD_TYPE_LABELS,
  type Lang,
  type NormalizedRecord,
  TXN_STATUS_LABELS,
  TXN_TYPE_LABELS,
} from './records';

export interface RecordField {
  label: Bilingual;
  /** The field's text for a record, or null when the record has none. */
  get(r: NormalizedRecord, lang: Lang): string | null;
}

const money = (fen: number | null) => (fen === null ? null : yuan(fen));

export const RECORD_FIELDS: readonly RecordField[] = [
  { label: { zh: '交易时间', en: 'Time' }, get: (r) => r.txnTime },
  { label: { zh: '清算/记账日期', en: 'Clearing / value date' }, get: (r) => r.clearDate },
  { label: { zh: '商户号', en: 'Merchant no.' }, get: (r) => r.merchantNo },
  { label: { zh: '商户名称', en: 'Merchant name' }, get: (r) => r.merchantName },
  { label: { zh: '终端号', en: 'Terminal' }, get: (r) => r.terminalNo },
  { label: { zh: '卡号', en: 'Card' }, get: (r) => r.cardNo ?? (r.cardLast4 ? `…${r.cardLast4}` : null) },
  // A bank line has no card.
  {
    label: { zh: '卡种', en: 'Card type' },
    get: (r, lang) => (r.source === 'statement' ? null : CARD_TYPE_LABELS[r.cardType][lang]),
  },
  { label: { zh: '交易类型', en: 'Type' }, get: (r, lang) => TXN_TYPE_LABELS[r.txnType][lang] },
  // Settlement files seldom carry a status: 'unknown' there says nothing, so it stays blank.
  {
    label: { zh: '交易状态', en: 'Status' },
    get: (r, lang) =>
      r.source === 'terminal' || r.status !== 'unknown' ? TXN_STATUS_LABELS[r.status][lang] : null,
  },
  { label: { zh: '金额', en: 'Amount' }, get: (r) => money(r.amountFen) },
  { label: { zh: '手续费', en: 'Fee' }, get: (r) => money(r.feeFen) },
  { label: { zh: '结算金额', en: 'Net' }, get: (r) => money(r.netFen) },
  { label: { zh: '批次号', en: 'Batch' }, get: (r) => r.batch },
  { label: { zh: '凭证号', en: 'Trace' }, get: (r) => r.trace },
  { label: { zh: '参考号', en: 'RRN' }, get: (r) => r.rrn },
  { label: { zh: '授权码', en: 'Auth code' }, get: (r) => r.authCode },
  { label: { zh: '订单号', en: 'Order no.' }, get: (r) => r.orderNo },
  { label: { zh: '对方户名', en: 'Counterparty' }, get: (r) => r.counterparty },
  { label: { zh: '摘要', en: 'Narrative' }, get: (r) => r.summary },
];
