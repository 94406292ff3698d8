import type { FeeCardType } from '../../../shared/records';
import { type HolidayCalendar, MAINLAND_CALENDAR } from './calendar';

/** Fee terms for one card type: a rate in basis points (60 = 0.60%), an optional cap and
 *  a per-transaction surcharge, both in fen. */
export interface FeeTerm {
  rateBp: number;
  capFen: number | null;
  fixedFen: number;
}

/** Fee terms for every card type a contract prices. */
export type FeeSchedule = Record<FeeCardType, FeeTerm>;

/** A fee schedule that applies from a date on, for one merchant or (merchantNo null) for all. */
export interface DatedFeeSchedule {
  merchantNo: string | null;
  from: string;
  fees: FeeSchedule;
}

export interface ReconcileSettings {
  /** RRN matches must be within this many days of each other. */
  rrnDays: number;
  /** Amount + card + time matches: ± this many seconds. */
  matchWindowSec: number;
  /** Sales with the same card and amount within this many seconds may be a duplicate charge. */
  duplicateWindowSec: number;
  /** Sales at or after this time (HH:MM:SS) clear the next day. */
  cutoff: string;
  /** Merchants on D0 (same-day) settlement; everyone else is credited T+1 working day. */
  d0Merchants: string[];
  /** The schedule where no dated one applies. */
  fees: FeeSchedule;
  /** Contract changes: the latest one from on or before a sale's date, the merchant's own first. */
  feeSchedules: DatedFeeSchedule[];
  calendar: HolidayCalendar;
  /** Words in a bank line's 对方户名 or 摘要 that mark it as an acquirer's settlement credit. */
  acquirerKeywords: string[];
}

/** Counterparty names and 摘要 words of acquirers' settlement credits (editable). */
const DEFAULT_ACQUIRER_KEYWORDS = [
  '银联商务',
  '拉卡拉',
  '通联',
  '盛付通',
  '收钱吧',
  '乐刷',
  '随行付',
  '汇付',
  '财付通',
  '支付宝',
  '银联',
  '备付金',
  '收单',
  'POS',
];

/** Market defaults (domain.md): debit 0.50% capped at 20 元, credit 0.60%, QR 0.38%. */
export const DEFAULT_SETTINGS: ReconcileSettings = {
  rrnDays: 1,
  matchWindowSec: 180,
  duplicateWindowSec: 600,
  cutoff: '23:00:00',
  d0Merchants: [],
  fees: {
    debit: { rateBp: 50, capFen: 2000, fixedFen: 0 },
    credit: { rateBp: 60, capFen: null, fixedFen: 0 },
    quasi_credit: { rateBp: 60, capFen: null, fixedFen: 0 },
    prepaid: { rateBp: 60, capFen: null, fixedFen: 0 },
    qr: { rateBp: 38, capFen: null, fixedFen: 0 },
  },
  feeSchedules: [],
  calendar: MAINLAND_CALENDAR,
  acquirerKeywords: DEFAULT_ACQUIRER_KEYWORDS,
};

/** The contracted fee for an amount, rounded half up to the fen, in integer arithmetic. */
export function expectedFee(term: FeeTerm, amountFen: number): number {
  const variable = Math.floor((amountFen * term.rateBp + 5_000) / 10_000);
  const capped = term.capFen === null ? variable : Math.min(variable, term.capFen);
  return capped + term.fixedFen;
}

/** The fee schedule in force for a merchant on a date. */
export function feesFor(
  settings: ReconcileSettings,
  merchantNo: string | null,
  date: string | null,
): FeeSchedule {
  let best: DatedFeeSchedule | undefined;
  for (const s of settings.feeSchedules) {
    if (date !== null && s.from > date) continue;
    if (s.merchantNo !== null && s.merchantNo !== merchantNo) continue;
    const better =
      !best ||
      (s.merchantNo !== null && best.merchantNo === null) ||
      (s.merchantNo === best.merchantNo && s.from > best.from);
    if (better) best = s;
  }
  return best?.fees ?? settings.fees;
}
