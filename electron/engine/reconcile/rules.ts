import type { MismatchKind } from '../../../shared/mismatches';
import { yuan } from '../../../shared/money';
import { type Bilingual, CARD_TYPES, TXN_TYPES } from '../../../shared/records';
import { hash53 } from '../store/fingerprint';
import { CARD, nullable, STATUS, TXN } from '../store/record-columns';
import { addDays } from './calendar';
import { describe, span } from './explain';
import { cardKey } from './links';
import { repeats, SALE } from './match';
import { expectedFee, feesFor } from './settings';
import type { StatementContext } from './statement';
import { clockText, idOf, NO_KEY, NONE, type RecordTable, rowsWhere, textOf } from './table';
import type { Finding, Mismatch, ReconRecord } from './types';

/** What the rules read: the statement side's context, and the pairs and links of the run. */
export interface RuleContext extends StatementContext {
  /** Each paired row's counterpart (−1: none), and the terminal rows in the order paired. */
  counterpart: Int32Array;
  pairOrder: Int32Array;
  /** Reversing row → the sale row it undoes; 1 for a sale row that some row reverses. */
  reverses: Map<number, number>;
  reversed: Uint8Array;
  /** Trade dates the terminal files cover, and clearing dates the settlement files cover (ids). */
  terminalDates: Set<number>;
  settlementDates: Set<number>;
}

export function makeMismatch(
  kind: MismatchKind,
  subkind: string | null,
  records: ReconRecord[],
  expectedFen: number | null,
  actualFen: number | null,
  explanation: Bilingual,
): Mismatch {
  const identity = [kind, ...records.map((r) => `${r.source}:${r.fp}`)].join('|');
  return {
    id: `${kind}-${hash53(identity).toString(36)}`,
    kind,
    subkind,
    expectedFen,
    actualFen,
    differenceFen: expectedFen === null || actualFen === null ? null : actualFen - expectedFen,
    records,
    explanation,
  };
}

/** The date a sale is cleared on: its trade date, or the next day after the acquirer's cut-off. */
export function clearingDate(r: ReconRecord, cutoff: string): string | null {
  if (r.txnTime === null) return null;
  const date = r.txnTime.slice(0, 10);
  return r.txnTime.slice(11) < cutoff ? date : addDays(date, 1);
}

/** clearingDate over a table's rows, as date ids. */
export function clearingDays(t: RecordTable, cutoff: string): (row: number) => number {
  // HH:MM:SS texts sort as their seconds do: the times before the cut-off are the seconds below
  // the first one whose text is not.
  let before = 0;
  for (let hi = 86_400; before < hi; ) {
    const mid = (before + hi) >> 1;
    if (clockText(mid) < cutoff) before = mid + 1;
    else hi = mid;
  }
  const nextDay = new Map<number, number>();
  return (r) => {
    const date = t.date[r]!;
    if (date === NONE) return NONE;
    const clock = t.clock[r]!;
    // Otherwise txnTime.slice(11): what follows the date, less its separator.
    const early =
      clock >= 0 ? clock < before : (clock === NONE ? '' : t.texts[-2 - clock]!.slice(1)) < cutoff;
    if (early) return date;
    let next = nextDay.get(date);
    if (next === undefined) {
      next = idOf(t, addDays(t.texts[date]!, 1));
      nextDay.set(date, next);
    }
    return next;
  };
}

const isSaleRow = (t: RecordTable, r: number) => SALE[t.txnType[r]!] === 1;

/** Same card, same amount, same terminal, minutes apart, nothing undone: the operator swiped twice. */
export function duplicateCharges(ctx: RuleContext): Finding[] {
  const { t } = ctx;
  const out: Finding[] = [];
  const candidates = rowsWhere(
    ctx.terminal,
    (r) =>
      isSaleRow(t, r) &&
      (t.status[r] === STATUS.success || t.status[r] === STATUS.unknown) &&
      ctx.reversed[r] !== 1 &&
      !Number.isNaN(t.amount[r]!),
  );
  // Group by card first (most cards appear once, so most groups end there), then by terminal and
  // amount: a card's few records sorted, rather than a key made for each of a million.
  const groups: number[][] = [];
  const byCards = repeats(candidates, (r) => cardKey(t, r));
  for (const byCard of byCards) {
    byCard.sort(
      (a, b) =>
        compareText(textOf(t, t.terminal[a]!), textOf(t, t.terminal[b]!)) ||
        t.amount[a]! - t.amount[b]! ||
        t.ts[a]! - t.ts[b]!,
    );
    let start = 0;
    for (let i = 1; i <= byCard.length; i++) {
      const r = byCard[i];
      const first = byCard[start]!;
      if (r !== undefined && t.terminal[r] === t.terminal[first] && t.amount[r] === t.amount[first]) continue;
      if (i - start > 1) groups.push(byCard.slice(start, i));
      start = i;
    }
  }
  for (const group of groups) {
    group.sort((a, b) => t.ts[a]! - t.ts[b]!);
    let chain: number[] = [group[0]!];
    const flush = () => {
      if (chain.length < 2) return;
      const amount = t.amount[chain[0]!]!;
      const times = chain.length;
      const extra = times - 1;
      const seconds = t.ts[chain.at(-1)!]! - t.ts[chain[0]!]!;
      const rows = chain.flatMap((r) => (ctx.counterpart[r] === -1 ? [r] : [r, ctx.counterpart[r]!]));
      out.push({
        kind: 'duplicate_charge',
        subkind: null,
        rows,
        expectedFen: amount,
        actualFen: amount * times,
        explain: ([first]) => ({
          zh: `疑似重复扣费：同一张卡（尾号 ${first!.cardLast4 ?? '未知'}）在终端 ${first!.terminalNo ?? '未知'} 于 ${span(seconds, 'zh')}内被扣 ${times} 次 ${yuan(amount)}，且均未撤销或退货。第一笔为正常交易，其余 ${extra} 笔多扣 ${yuan(amount * extra)}。请为顾客退还多扣的款项，并将证据提交收单机构。`,
          en: `The same card (…${first!.cardLast4 ?? '?'}) was charged ${yuan(amount)} ${times} times within ${span(seconds, 'en')} on terminal ${first!.terminalNo ?? '?'}, none voided or refunded. The first is the genuine sale; the other ${extra} overcharged ${yuan(amount * extra)}. Refund the extra charge and send the evidence to the acquirer.`,
        }),
      });
    };
    for (const r of group.slice(1)) {
      if (t.ts[r]! - t.ts[chain.at(-1)!]! <= ctx.settings.duplicateWindowSec) chain.push(r);
      else {
        flush();
        chain = [r];
      }
    }
    flush();
  }
  // The same RRN settled twice.
  const settledSales = rowsWhere(ctx.settlement, (r) => isSaleRow(t, r) && t.rrn[r] !== NO_KEY);
  const byRrns = repeats(settledSales, (r) => t.rrn[r]!);
  for (const byRrn of byRrns) {
    const group = byRrn.filter((r) => t.terminal[r] === t.terminal[byRrn[0]!]);
    if (group.length < 2) continue;
    const amount = nullable(t.amount[group[0]!]!) ?? 0;
    const total = group.reduce((sum, r) => sum + (nullable(t.amount[r]!) ?? 0), 0);
    const times = group.length;
    out.push({
      kind: 'duplicate_charge',
      subkind: 'rrn_settled_twice',
      rows: group,
      expectedFen: amount,
      actualFen: total,
      explain: ([first]) => ({
        zh: `参考号 ${first!.rrn} 的交易被清算了 ${times} 次（${describe(first!, 'zh')}），多结算 ${yuan(total - amount)}。请向收单机构核实并更正。`,
        en: `The transaction with RRN ${first!.rrn} was settled ${times} times (${describe(first!, 'en')}), ${yuan(total - amount)} too much. Ask the acquirer to check and correct it.`,
      }),
    });
  }
  return out;
}

/** Money taken for a transaction the terminal recorded as failed, or never recorded at all. */
export function chargedNotRecorded(ctx: RuleContext): Finding[] {
  const { t } = ctx;
  const out: Finding[] = [];
  for (const s of ctx.settlement) {
    const amount = t.amount[s]!;
    if (!isSaleRow(t, s) || Number.isNaN(amount)) continue;
    const r = ctx.counterpart[s]!;
    if (r === -1) {
      const date = t.date[s]!;
      if (date === NONE || !ctx.terminalDates.has(date)) continue;
      out.push({
        kind: 'charged_not_recorded',
        subkind: 'no_terminal_record',
        rows: [s],
        expectedFen: 0,
        actualFen: amount,
        explain: ([settled]) => ({
          zh: `清算明细中有一笔 ${yuan(amount)} 的扣款（${describe(settled!, 'zh')}），但终端当天没有这笔交易的记录（单边账）。请核实顾客是否拿到商品，必要时退款，并把证据提交收单机构。`,
          en: `The settlement shows ${yuan(amount)} taken (${describe(settled!, 'en')}) but the terminal has no record of it that day (one-sided entry). Check whether the customer got the goods, refund if not, and send the evidence to the acquirer.`,
        }),
      });
    } else if (t.status[r] === STATUS.failed || t.status[r] === STATUS.timeout) {
      const failed = t.status[r] === STATUS.failed;
      const what = failed ? { zh: '失败', en: 'failed' } : { zh: '超时', en: 'timed out' };
      out.push({
        kind: 'charged_not_recorded',
        subkind: failed ? 'terminal_failed' : 'terminal_timeout',
        rows: [r, s],
        expectedFen: 0,
        actualFen: amount,
        explain: ([terminal]) => ({
          zh: `终端显示这笔交易${what.zh}（${describe(terminal!, 'zh')}），但收单机构仍扣款 ${yuan(amount)}，自动冲正没有发生。顾客被扣了钱却没有成功交易：请退款或补交货物，并把证据提交收单机构。`,
          en: `The terminal shows this transaction as ${what.en} (${describe(terminal!, 'en')}), yet the acquirer took ${yuan(amount)}: the automatic reversal did not happen. The customer paid for a failed sale: refund or deliver, and send the evidence to the acquirer.`,
        }),
      });
    }
  }
  return out;
}

/** A successful sale missing from settlement files that already cover its clearing date; the
 *  rows whose clearing date they do not cover yet are pending. */
export function notSettled(ctx: RuleContext): { findings: Finding[]; pending: number[] } {
  const { t } = ctx;
  const findings: Finding[] = [];
  const pending: number[] = [];
  for (const r of ctx.terminal) {
    const amount = t.amount[r]!;
    if (!isSaleRow(t, r) || t.status[r] !== STATUS.success || Number.isNaN(amount)) continue;
    if (ctx.counterpart[r] !== -1) continue;
    // A voided or reversed sale is expected to be absent; a refunded one was still a sale.
    if (ctx.voided[r] === 1) continue;
    const clearingId = ctx.clearing(r);
    if (clearingId === NONE) continue;
    if (!ctx.settlementDates.has(clearingId)) {
      pending.push(r);
      continue;
    }
    const clearing = t.texts[clearingId]!;
    findings.push({
      kind: 'not_settled',
      subkind: null,
      rows: [r],
      expectedFen: amount,
      actualFen: 0,
      explain: ([sale]) => ({
        zh: `终端记录了一笔成功交易（${describe(sale!, 'zh')}），应于 ${clearing} 清算，但清算明细中没有它，${yuan(amount)} 未结算。请凭交易凭证向收单机构索赔。`,
        en: `The terminal recorded a successful sale (${describe(sale!, 'en')}) due to clear on ${clearing}, but the settlement detail does not include it: ${yuan(amount)} was not settled. Claim it from the acquirer with the slip.`,
      }),
    });
  }
  return { findings, pending };
}

/** The same transaction with different amounts on the two sides. */
export function amountMismatches(ctx: RuleContext): Finding[] {
  const { t } = ctx;
  const out: Finding[] = [];
  for (const r of ctx.pairOrder) {
    const s = ctx.counterpart[r]!;
    const [terminalFen, settledFen] = [t.amount[r]!, t.amount[s]!];
    if (Number.isNaN(terminalFen) || Number.isNaN(settledFen) || terminalFen === settledFen) continue;
    out.push({
      kind: 'amount_mismatch',
      subkind: null,
      rows: [r, s],
      expectedFen: terminalFen,
      actualFen: settledFen,
      explain: ([terminal]) => ({
        zh: `同一笔交易两边金额不同：终端 ${yuan(terminalFen)}，清算 ${yuan(settledFen)}（${describe(terminal!, 'zh')}），相差 ${yuan(settledFen - terminalFen)}。请与收单机构或顾客核对更正。`,
        en: `The same transaction has different amounts: terminal ${yuan(terminalFen)}, settlement ${yuan(settledFen)} (${describe(terminal!, 'en')}), a difference of ${yuan(settledFen - terminalFen)}. Correct it with the acquirer or the customer.`,
      }),
    });
  }
  return out;
}

/** A fee other than the contracted one for the card type. */
export function feeMismatches(ctx: RuleContext): Finding[] {
  const { t } = ctx;
  const out: Finding[] = [];
  for (const s of ctx.settlement) {
    const [fee, amount] = [t.fee[s]!, t.amount[s]!];
    if (!isSaleRow(t, s) || Number.isNaN(fee) || Number.isNaN(amount)) continue;
    const fees = feesFor(ctx.settings, textOf(t, t.merchant[s]!), textOf(t, t.date[s]!));
    const r = ctx.counterpart[s]!;
    const code = t.cardType[s] !== CARD.unknown ? t.cardType[s]! : r === -1 ? CARD.unknown : t.cardType[r]!;
    const cardType = CARD_TYPES[code]!;
    if (cardType === 'unknown') continue;
    const expected = expectedFee(fees[cardType], amount);
    if (fee === expected) continue;
    let subkind: string | null = null;
    let zhWhy = '';
    let enWhy = '';
    if (cardType === 'debit' && fee === expectedFee(fees.credit, amount)) {
      subkind = 'debit_charged_as_credit';
      zhWhy = '借记卡被按贷记卡费率收费。';
      enWhy = 'A debit card was charged the credit-card rate. ';
    } else if (
      cardType === 'debit' &&
      fees.debit.capFen !== null &&
      fee > fees.debit.capFen + fees.debit.fixedFen
    ) {
      subkind = 'debit_over_cap';
      zhWhy = `借记卡手续费超过封顶 ${yuan(fees.debit.capFen)}。`;
      enWhy = `The debit fee is over its cap of ${yuan(fees.debit.capFen)}. `;
    }
    out.push({
      kind: 'fee_mismatch',
      subkind,
      rows: r === -1 ? [s] : [r, s],
      expectedFen: expected,
      actualFen: fee,
      explain: (records) => ({
        zh: `${zhWhy}这笔交易（${describe(records.at(-1)!, 'zh')}）按合同应收手续费 ${yuan(expected)}，实际收取 ${yuan(fee)}，多收 ${yuan(fee - expected)}。请向收单机构申请退还差额。`,
        en: `${enWhy}For this transaction (${describe(records.at(-1)!, 'en')}) the contracted fee is ${yuan(expected)} but ${yuan(fee)} was taken, ${yuan(fee - expected)} too much. Claim the difference from the acquirer.`,
      }),
    });
  }
  return out;
}

/** A sale voided or refunded on the terminal that was still settled in full. */
export function voidsNotReflected(ctx: RuleContext): Finding[] {
  const { t } = ctx;
  const out: Finding[] = [];
  for (const r of ctx.terminal) {
    const type = t.txnType[r]!;
    // Voids and refunds only: an automatic reversal (冲正) that never reached the acquirer leaves a
    // failed or timed-out sale settled, which is charged_not_recorded, not reported twice.
    if (
      (type !== TXN.void && type !== TXN.refund) ||
      t.status[r] === STATUS.failed ||
      t.status[r] === STATUS.timeout
    )
      continue;
    const sale = ctx.reverses.get(r);
    if (sale === undefined) continue;
    if (ctx.counterpart[r] !== -1) continue; // the reversal itself was settled
    const settled = ctx.counterpart[sale]!;
    if (settled === -1 || Number.isNaN(t.amount[settled]!)) continue; // absent from settlement: as expected
    if (ctx.reversed[settled] === 1) continue;
    const clearing = ctx.clearing(r);
    if (clearing === NONE || !ctx.settlementDates.has(clearing)) continue; // may still come
    const settledFen = t.amount[settled]!;
    const undone = nullable(t.amount[r]!) ?? 0;
    const word = type === TXN.refund ? { zh: '退货', en: 'refunded' } : { zh: '撤销', en: 'voided' };
    out.push({
      kind: 'void_not_reflected',
      subkind: TXN_TYPES[type]!,
      rows: [sale, r, settled],
      expectedFen: settledFen - undone,
      actualFen: settledFen,
      explain: ([, reversal]) => ({
        zh: `这笔交易已在终端${word.zh}（${describe(reversal!, 'zh')}），但清算仍按全额 ${yuan(settledFen)} 结算，没有冲回 ${yuan(undone)}。请向收单机构申请冲回，或确认顾客已获退款。`,
        en: `This sale was ${word.en} on the terminal (${describe(reversal!, 'en')}) but was still settled in full at ${yuan(settledFen)}; ${yuan(undone)} was never reversed. Ask the acquirer to reverse it, or make sure the customer was refunded.`,
      }),
    });
  }
  return out;
}

function compareText(a: string | null, b: string | null): number {
  return a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
}
