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
