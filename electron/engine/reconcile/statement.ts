import { yuan } from '../../../shared/money';
import { CARD_TYPES, type CardType, TXN_TYPES, type TxnType } from '../../../shared/records';
import { nullable, STATUS, TXN } from '../store/record-columns';
import { addDays, creditDate } from './calendar';
import { describe } from './explain';
import { REVERSAL, SALE, signOf } from './match';
import { expectedFee, feesFor, type ReconcileSettings } from './settings';
import { NONE, type RecordTable, rowsWhere, textOf } from './table';
import type { Finding, ReconRecord } from './types';

export interface StatementContext {
  t: RecordTable;
  terminal: Int32Array;
  settlement: Int32Array;
  statement: Int32Array;
  /** 1 for a sale undone by a void or an automatic reversal: never settled. */
  voided: Uint8Array;
  settings: ReconcileSettings;
  /** A row's clearing date (id), NONE without a time. */
  clearing: (row: number) => number;
}

/** What one transaction contributes to its clearing day's expected credit. */
export interface Contribution<R = number> {
  /** The transaction: a table row, or its record once a caller asks for records. */
  record: R;
  clearing: string;
  netFen: number;
  grossFen: number;
}

/** A settlement line's net, signed: its 结算金额, or the amount less the fee. */
export function settledNet(r: ReconRecord): number {
  return netOf(signOf(r), r.amountFen, r.feeFen, r.netFen);
}

function netOf(sign: number, amount: number | null, fee: number | null, net: number | null): number {
  return sign * (net ?? (amount ?? 0) - (fee ?? 0));
}

/** The fee a settlement line took, signed as settledNet (a reversal's fee comes back). */
export function settledFee(r: ReconRecord): number {
  return signOf(r) * (r.feeFen ?? 0);
}

/** What a successful terminal record should bring into the bank on its clearing day when no
 *  settlement detail says otherwise: a sale its amount less the contract fee; a refund takes its
 *  amount back out (the fee is not returned); a voided sale, a void, a reversal or a record
 *  without an amount nothing (null). */
export function expectedFromTerminal(
  r: ReconRecord,
  clearing: string,
  settings: ReconcileSettings,
  voided: ReadonlySet<number>,
): { netFen: number; feeFen: number } | null {
  return expectedOf(r.txnType, r.cardType, r.amountFen, r.merchantNo, voided.has(r.id), clearing, settings);
}

function expectedOf(
  txnType: TxnType,
  cardType: CardType,
  amountFen: number | null,
  merchantNo: string | null,
  voided: boolean,
  clearing: string,
  settings: ReconcileSettings,
): { netFen: number; feeFen: number } | null {
  if (amountFen === null) return null;
  if (txnType === 'refund') return { netFen: -amountFen, feeFen: 0 };
  if (SALE[TXN[txnType]] !== 1 || voided) return null;
  // What the contract says the sale's fee is on its clearing day (nothing for an unknown card type).
  const feeFen =
    cardType === 'unknown' ? 0 : expectedFee(feesFor(settings, merchantNo, clearing)[cardType], amountFen);
  return { netFen: amountFen - feeFen, feeFen };
}

/** The day a clearing day's money reaches the bank, under the merchant's contract (T+1, or D0). */
export function arrivalDate(
  clearing: string,
  merchantNo: string | null,
  settings: ReconcileSettings,
): string {
  const mode = merchantNo !== null && settings.d0Merchants.includes(merchantNo) ? 'D0' : 'T1';
  return creditDate(clearing, settings.calendar, mode);
}

/** A bank line that is an acquirer's settlement credit: money in, with an acquirer's name in its
 *  对方户名 or 摘要. */
export function isAcquirerCredit(r: ReconRecord, keywords: readonly string[]): boolean {
  return r.txnType === 'credit' && namesAcquirer(r, keywords);
}

function namesAcquirer(
  names: { counterparty: string | null; summary: string | null },
  keywords: readonly string[],
): boolean {
  return keywords.some((k) => (names.counterparty ?? '').includes(k) || (names.summary ?? '').includes(k));
}

const signOfRow = (t: RecordTable, r: number) => (REVERSAL[t.txnType[r]!] === 1 ? -1 : 1);

/** Settlement lines when there are any; otherwise successful terminal sales less expected fees. */
function contributions(ctx: StatementContext): Contribution[] {
  const { t } = ctx;
  const out: Contribution[] = [];
  if (ctx.settlement.length > 0) {
    for (const r of ctx.settlement) {
      const day = t.clearDate[r] !== NONE ? t.clearDate[r]! : t.date[r]!;
      const amount = nullable(t.amount[r]!);
      if (day === NONE || t.texts[day] === '' || amount === null) continue;
      const sign = signOfRow(t, r);
      out.push({
        record: r,
        clearing: t.texts[day]!,
        netFen: netOf(sign, amount, nullable(t.fee[r]!), nullable(t.net[r]!)),
        grossFen: sign * amount,
      });
    }
    return out;
  }
  for (const r of ctx.terminal) {
    const amount = nullable(t.amount[r]!);
    if (t.status[r] !== STATUS.success || amount === null) continue;
    const day = ctx.clearing(r);
    if (day === NONE) continue;
    const clearing = t.texts[day]!;
    const expected = expectedOf(
      TXN_TYPES[t.txnType[r]!]!,
      CARD_TYPES[t.cardType[r]!]!,
      amount,
      textOf(t, t.merchant[r]!),
      ctx.voided[r] === 1,
      clearing,
      ctx.settings,
    );
    if (expected)
      out.push({ record: r, clearing, netFen: expected.netFen, grossFen: signOfRow(t, r) * amount });
  }
  return out;
}

/** A credit's remark naming the days it covers, e.g. `1106-1108 费362.15元`; `date` is the
 *  credit's own ('YYYY-MM-DD'). */
function coveredDays(summary: string | null, date: string | null): string[] | null {
  const m = /(?:^|\D)(\d{2})(\d{2})\s*[-~至]\s*(\d{2})(\d{2})(?:\D|$)/.exec(summary ?? '');
  if (!m || !date) return null;
  const year = Number(date.slice(0, 4));
  const [from, to] = [`${m[1]}-${m[2]}`, `${m[3]}-${m[4]}`];
  // A range in December credited in January belongs to the year before.
  const fromYear = from > date.slice(5, 10) ? year - 1 : year;
  const start = `${fromYear}-${from}`;
  const end = `${to < from ? fromYear + 1 : fromYear}-${to}`;
  if (Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end)) || end < start) return null;
  const days: string[] = [];
  for (let d = start; d <= end && days.length < 31; d = addDays(d, 1)) days.push(d);
  return days;
}

/** One bank credit day (or one credit whose remark names its days) and what it should hold. */
export interface CreditGroup<R = ReconRecord> {
  /** The day the money arrived, or should have. */
  arrival: string;
  /** Clearing days the credit covers. */
  days: string[];
  credits: R[];
  parts: Contribution<R>[];
  /** Net settled for those days; gross (before fees, for fees charged separately); credited. */
  expectedFen: number;
  grossFen: number;
  creditedFen: number;
}

/** The acquirer's credits on the bank statement, each with the settled days it pays for (rows). */
export function creditGroups(ctx: StatementContext): CreditGroup<number>[] {
  const { t, settings } = ctx;
  if (ctx.statement.length === 0) return [];
  const names = (r: number) => t.bankText.get(r) ?? { counterparty: null, summary: null };
  const credits = rowsWhere(
    ctx.statement,
    (r) => t.txnType[r] === TXN.credit && namesAcquirer(names(r), settings.acquirerKeywords),
  );
  const day = (r: number) =>
    (textOf(t, t.clearDate[r] !== NONE ? t.clearDate[r]! : t.date[r]!) ?? '').slice(0, 10);
  const statementDays = [...ctx.statement].map(day).filter(Boolean).sort();
  const [first, last] = [statementDays[0]!, statementDays.at(-1)!];

  // Credits whose remark names their days claim those days; the rest follow the calendar, under
  // each merchant's contract (T+1, or D0 for the merchants listed).
  const groups = new Map<string, { credits: number[]; days: Set<string>; parts: Contribution[] }>();
  const group = (key: string) => {
    let g = groups.get(key);
    if (!g) {
      g = { credits: [], days: new Set(), parts: [] };
      groups.set(key, g);
    }
    return g;
  };
  const claimedBy = new Map<string, string>();
  for (const credit of credits) {
    const days = coveredDays(names(credit).summary, textOf(t, t.date[credit]!));
    const key = days ? `remark:${t.id[credit]}` : `date:${day(credit)}`;
    const g = group(key);
    g.credits.push(credit);
    for (const d of days ?? []) {
      g.days.add(d);
      claimedBy.set(d, key);
    }
  }
  // A million lines clear on a few days: each day's arrival is worked out once per merchant.
  const arrivals = new Map<number, Map<string, string>>();
  for (const c of contributions(ctx)) {
    const claimed = claimedBy.get(c.clearing);
    if (claimed) {
      groups.get(claimed)!.parts.push(c);
      continue;
    }
    const merchant = t.merchant[c.record]!;
    let byDay = arrivals.get(merchant);
    if (!byDay) {
      byDay = new Map();
      arrivals.set(merchant, byDay);
    }
    let arrives = byDay.get(c.clearing);
    if (arrives === undefined) {
      arrives = arrivalDate(c.clearing, textOf(t, merchant), settings);
      byDay.set(c.clearing, arrives);
    }
    if (arrives < first || arrives > last) continue; // the statement does not cover its arrival
    const g = group(`date:${arrives}`);
    g.days.add(c.clearing);
    g.parts.push(c);
  }

  return [...groups].map(([key, g]) => ({
    arrival: key.startsWith('date:') ? key.slice(5) : day(g.credits[0]!),
    days: [...g.days].sort(),
    credits: g.credits,
    parts: g.parts,
    expectedFen: g.parts.reduce((s, c) => s + c.netFen, 0),
    grossFen: g.parts.reduce((s, c) => s + c.grossFen, 0),
    creditedFen: g.credits.reduce((s, r) => s + (nullable(t.amount[r]!) ?? 0), 0),
  }));
}

/**
 * The settlement days (grouped with their credits by creditGroups) whose expected net differs from
 * what the acquirer credited, naming the transactions that explain the gap when up to three of
 * them add up to it exactly.
 */
export function settlementShortfalls(groups: readonly CreditGroup<number>[]): Finding[] {
  const out: Finding[] = [];
  for (const g of groups) {
    const { parts, arrival, days } = g;
    const [expected, gross, actual] = [g.expectedFen, g.grossFen, g.creditedFen];
    if (actual === expected || (parts.length > 0 && actual === gross)) continue; // fees charged separately
    if (expected === 0 && actual === 0) continue;
    const gap = expected - actual;
    const explaining = explainGap(parts, gap);
    const dayText = days.length === 0 ? '—' : days.length === 1 ? days[0]! : `${days[0]} – ${days.at(-1)}`;
    const credited = g.credits.length;
    const what =
      credited === 0
        ? {
            zh: `清算日 ${dayText} 应于 ${arrival} 到账 ${yuan(expected)}，但银行流水中没有收单机构的这笔入账。`,
            en: `Clearing day(s) ${dayText} should have been credited ${yuan(expected)} on ${arrival}, but the bank statement shows no credit from the acquirer.`,
          }
        : {
            zh: `${arrival} 银行入账 ${yuan(actual)}，而清算日 ${dayText} 的应结净额为 ${yuan(expected)}，${gap > 0 ? '短款' : '多出'} ${yuan(Math.abs(gap))}。`,
            en: `The bank credit on ${arrival} was ${yuan(actual)}, but the net settled for clearing day(s) ${dayText} is ${yuan(expected)}: ${yuan(Math.abs(gap))} ${gap > 0 ? 'short' : 'over'}.`,
          };
    out.push({
      kind: 'settlement_shortfall',
      subkind: credited === 0 ? 'credit_missing' : explaining ? 'explained' : 'unexplained',
      rows: [...g.credits, ...(explaining ?? []).map((c) => c.record)],
      expectedFen: expected,
      actualFen: actual,
      explain: (records) => {
        // The records after the credits are the transactions that explain the gap.
        const named = explaining
          ? {
              zh: `差额正好等于以下交易：${records
                .slice(credited)
                .map((r) => describe(r, 'zh'))
                .join('；')}。`,
              en: `The gap equals exactly these transactions: ${records
                .slice(credited)
                .map((r) => describe(r, 'en'))
                .join('; ')}.`,
            }
          : {
              zh: '没有找到能正好解释差额的交易，差额原因待查。',
              en: 'No transactions add up to the gap exactly; the cause is unexplained.',
            };
        return {
          zh: `${what.zh}${named.zh}${
            gap > 0
              ? '请凭清算明细和银行流水向收单机构追讨差额。'
              : '请向收单机构核实多出款项的来源（可能包含其他日期或其他商户的款项），再决定是否退回。'
          }`,
          en: `${what.en} ${named.en} ${
            gap > 0
              ? 'Claim the difference from the acquirer with the settlement detail and the bank statement.'
              : 'Ask the acquirer where the extra money comes from (it may belong to other days or another merchant) before deciding whether to return it.'
          }`,
        };
      },
    });
  }
  return out;
}

/** One, two or three transactions whose net adds up to the gap exactly, if any. */
function explainGap(parts: Contribution[], gap: number): Contribution[] | null {
  if (gap === 0 || parts.length === 0) return null;
  const one = parts.find((c) => c.netFen === gap);
  if (one) return [one];
  const seen = new Map<number, Contribution>();
  for (const c of parts) {
    const other = seen.get(gap - c.netFen);
    if (other) return [other, c];
    seen.set(c.netFen, c);
  }
  if (parts.length > 2000) return null; // three-way search is quadratic: keep it bounded
  for (let i = 0; i < parts.length; i++) {
    const rest = new Map<number, number>();
    for (let j = i + 1; j < parts.length; j++) {
      const k = rest.get(gap - parts[i]!.netFen - parts[j]!.netFen);
      if (k !== undefined) return [parts[i]!, parts[k]!, parts[j]!];
      rest.set(parts[j]!.netFen, j);
    }
  }
  return null;
}
