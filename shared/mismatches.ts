// The mismatch kinds the engine reports. The ids are stable: exports, scripts and the command
// line use them; the UI shows the labels.

import type { Bilingual } from './records';

export const MISMATCH_KINDS = [
  'duplicate_charge',
  'charged_not_recorded',
  'not_settled',
  'amount_mismatch',
  'fee_mismatch',
  'void_not_reflected',
  'settlement_shortfall',
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export const MISMATCH_LABELS: Record<MismatchKind, Bilingual> = {
  duplicate_charge: { zh: '重复扣费', en: 'Duplicate charge' },
  charged_not_recorded: { zh: '扣款未出票', en: 'Charged but not recorded' },
  not_settled: { zh: '未到账', en: 'Not settled' },
  amount_mismatch: { zh: '金额不符', en: 'Amount mismatch' },
  fee_mismatch: { zh: '手续费错误', en: 'Wrong fee' },
  void_not_reflected: { zh: '撤销/退货未冲回', en: 'Void or refund not reflected' },
  settlement_shortfall: { zh: '结算差额', en: 'Settlement shortfall' },
};

/** The rule that flags each kind, as an evidence report states it. */
export const MISMATCH_RULES: Record<MismatchKind, Bilingual> = {
  duplicate_charge: {
    zh: '同一终端、同一卡号、同一金额在数分钟内有两笔以上成功消费且均未撤销或退货，或同一参考号被清算两次。',
    en: 'Two or more successful sales on the same terminal with the same card and amount minutes apart, none voided or refunded; or one RRN settled twice.',
  },
  charged_not_recorded: {
    zh: '清算明细显示已扣款，而终端记录为失败、超时或没有记录（单边账，自动冲正未发生）。',
    en: 'The settlement shows money taken for a transaction the terminal recorded as failed, timed out, or not at all (the automatic reversal did not happen).',
  },
  not_settled: {
    zh: '终端记录成功的消费，在应清算日加宽限期后仍没有清算记录。',
    en: 'A sale the terminal recorded as successful has no settlement by its expected settlement day plus the grace period.',
  },
  amount_mismatch: {
    zh: '同一笔交易（同一参考号，或同终端同时间）两方金额不同。',
    en: 'The same transaction (same RRN, or same terminal and time) has different amounts on the two sides.',
  },
  fee_mismatch: {
    zh: '实收手续费与合同约定的该卡种费率不符；借记卡按贷记卡费率收费单独标明。',
    en: 'The fee taken differs from the contracted fee for the card type; a debit card charged the credit rate is named as such.',
  },
  void_not_reflected: {
    zh: '终端已撤销或退货的交易仍被全额清算，或退货款未被扣回。',
    en: 'A sale voided or refunded on the terminal was still settled in full, or the refund was never deducted.',
  },
  settlement_shortfall: {
    zh: '某清算日的银行入账与当日已清算交易的应结净额不符。',
    en: "A bank credit for a settlement day differs from the net of that day's settled transactions.",
  },
};
