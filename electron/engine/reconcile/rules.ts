import type { MismatchKind } from '../../../shared/mismatches';
import { yuan } from '../../../shared/money';
import type { Bilingual } from '../../../shared/records';
import { hash53 } from '../store/fingerprint';
import { addDays } from './calendar';
import { describe, span } from './explain';
import { isSale, repeats } from './match';
import { expectedFee, feesFor, type ReconcileSettings } from './settings';
import type { Matching, Mismatch, ReconRecord } from './types';

const SUCCESSFUL = new Set(['success', 'unknown']);

export interface RuleContext {
  terminal: readonly ReconRecord[];
  settlement: readonly ReconRecord[];
  byId: { get(id: number): ReconRecord | undefined };
  matching: Matching;
  settings: ReconcileSettings;
  /** Trade dates the terminal files cover, and clearing dates the settlement files cover. */
  terminalDates: Set<string>;
  settlementDates: Set<string>;
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

function settledFor(ctx: RuleContext, t: ReconRecord): ReconRecord | undefined {
  const id = ctx.matching.terminalToSettlement.get(t.id);
  return id === undefined ? undefined : ctx.byId.get(id);
}

/** Same card, same amount, same terminal, minutes apart, nothing undone: the operator swiped twice. */
export function duplicateCharges(ctx: RuleContext): Mismatch[] {
  const out: Mismatch[] = [];
  const candidates = ctx.terminal.filter(
    (r) =>
      isSale(r) && SUCCESSFUL.has(r.status) && !ctx.matching.reversedBy.has(r.id) && r.amountFen !== null,
  );
  // Group by card first (most cards appear once, so most groups end there), then by terminal and
  // amount: a card's few records sorted, rather than a key string made for each of a million.
  const groups: ReconRecord[][] = [];
  for (const byCard of repeats(candidates, (r) => r.cardNo ?? r.cardLast4)) {
    byCard.sort(
      (a, b) => compareText(a.terminalNo, b.terminalNo) || a.amountFen! - b.amountFen! || a.ts - b.ts,
    );
    let start = 0;
    for (let i = 1; i <= byCard.length; i++) {
      const r = byCard[i];
      if (r && r.terminalNo === byCard[start]!.terminalNo && r.amountFen === byCard[start]!.amountFen)
        continue;
      if (i - start > 1) groups.push(byCard.slice(start, i));
      start = i;
    }
  }
  for (const group of groups) {
    group.sort((a, b) => a.ts - b.ts);
    let chain: ReconRecord[] = [group[0]!];
    const flush = () => {
      if (chain.length > 1) {
        const [first] = chain;
        const amount = first!.amountFen!;
        const records = chain.flatMap((r) => [r, ...(settledFor(ctx, r) ? [settledFor(ctx, r)!] : [])]);
        const extra = chain.length - 1;
        out.push(
          makeMismatch('duplicate_charge', null, records, amount, amount * chain.length, {
            zh: `疑似重复扣费：同一张卡（尾号 ${first!.cardLast4 ?? '未知'}）在终端 ${first!.terminalNo ?? '未知'} 于 ${span(chain.at(-1)!.ts - first!.ts, 'zh')}内被扣 ${chain.length} 次 ${yuan(amount)}，且均未撤销或退货。第一笔为正常交易，其余 ${extra} 笔多扣 ${yuan(amount * extra)}。请为顾客退还多扣的款项，并将证据提交收单机构。`,
            en: `The same card (…${first!.cardLast4 ?? '?'}) was charged ${yuan(amount)} ${chain.length} times within ${span(chain.at(-1)!.ts - first!.ts, 'en')} on terminal ${first!.terminalNo ?? '?'}, none voided or refunded. The first is the genuine sale; the other ${extra} overcharged ${yuan(amount * extra)}. Refund the extra charge and send the evidence to the acquirer.`,
          }),
        );
      }
    };
    for (const r of group.slice(1)) {
      if (r.ts - chain.at(-1)!.ts <= ctx.settings.duplicateWindowSec) chain.push(r);
      else {
        flush();
        chain = [r];
      }
    }
    flush();
  }
  // The same RRN settled twice.
  const settledSales = ctx.settlement.filter((r) => isSale(r) && r.rrn !== null);
  for (const byRrn of repeats(settledSales, (r) => r.rrn)) {
    const group = byRrn.filter((r) => r.terminalNo === byRrn[0]!.terminalNo);
    if (group.length < 2) continue;
    const amount = group[0]!.amountFen ?? 0;
    const total = group.reduce((sum, r) => sum + (r.amountFen ?? 0), 0);
    out.push(
      makeMismatch('duplicate_charge', 'rrn_settled_twice', group, amount, total, {
        zh: `参考号 ${group[0]!.rrn} 的交易被清算了 ${group.length} 次（${describe(group[0]!, 'zh')}），多结算 ${yuan(total - amount)}。请向收单机构核实并更正。`,
        en: `The transaction with RRN ${group[0]!.rrn} was settled ${group.length} times (${describe(group[0]!, 'en')}), ${yuan(total - amount)} too much. Ask the acquirer to check and correct it.`,
      }),
    );
  }
  return out;
}

/** Money taken for a transaction the terminal recorded as failed, or never recorded at all. */
export function chargedNotRecorded(ctx: RuleContext): Mismatch[] {
  const out: Mismatch[] = [];
  for (const s of ctx.settlement) {
    if (!isSale(s) || s.amountFen === null) continue;
    const tid = ctx.matching.settlementToTerminal.get(s.id);
    const t = tid === undefined ? undefined : ctx.byId.get(tid);
    if (t === undefined) {
      const date = s.txnTime?.slice(0, 10);
      if (!date || !ctx.terminalDates.has(date)) continue;
      out.push(
        makeMismatch('charged_not_recorded', 'no_terminal_record', [s], 0, s.amountFen, {
          zh: `清算明细中有一笔 ${yuan(s.amountFen)} 的扣款（${describe(s, 'zh')}），但终端当天没有这笔交易的记录（单边账）。请核实顾客是否拿到商品，必要时退款，并把证据提交收单机构。`,
          en: `The settlement shows ${yuan(s.amountFen)} taken (${describe(s, 'en')}) but the terminal has no record of it that day (one-sided entry). Check whether the customer got the goods, refund if not, and send the evidence to the acquirer.`,
        }),
      );
    } else if (t.status === 'failed' || t.status === 'timeout') {
      const what = t.status === 'failed' ? { zh: '失败', en: 'failed' } : { zh: '超时', en: 'timed out' };
      out.push(
        makeMismatch('charged_not_recorded', `terminal_${t.status}`, [t, s], 0, s.amountFen, {
          zh: `终端显示这笔交易${what.zh}（${describe(t, 'zh')}），但收单机构仍扣款 ${yuan(s.amountFen)}，自动冲正没有发生。顾客被扣了钱却没有成功交易：请退款或补交货物，并把证据提交收单机构。`,
          en: `The terminal shows this transaction as ${what.en} (${describe(t, 'en')}), yet the acquirer took ${yuan(s.amountFen)}: the automatic reversal did not happen. The customer paid for a failed sale: refund or deliver, and send the evidence to the acquirer.`,
        }),
      );
    }
  }
  return out;
}

/** A successful sale missing from settlement files that already cover its clearing date. */
export function notSettled(ctx: RuleContext): { mismatches: Mismatch[]; pending: ReconRecord[] } {
  const mismatches: Mismatch[] = [];
  const pending: ReconRecord[] = [];
  for (const t of ctx.terminal) {
    if (!isSale(t) || t.status !== 'success' || t.amountFen === null) continue;
    if (ctx.matching.terminalToSettlement.has(t.id)) continue;
    // A voided or reversed sale is expected to be absent; a refunded one was still a sale.
    if (ctx.matching.voided.has(t.id)) continue;
    const clearing = clearingDate(t, ctx.settings.cutoff);
    if (clearing === null) continue;
    if (!ctx.settlementDates.has(clearing)) {
      pending.push(t);
      continue;
    }
    mismatches.push(
      makeMismatch('not_settled', null, [t], t.amountFen, 0, {
        zh: `终端记录了一笔成功交易（${describe(t, 'zh')}），应于 ${clearing} 清算，但清算明细中没有它，${yuan(t.amountFen)} 未结算。请凭交易凭证向收单机构索赔。`,
        en: `The terminal recorded a successful sale (${describe(t, 'en')}) due to clear on ${clearing}, but the settlement detail does not include it: ${yuan(t.amountFen)} was not settled. Claim it from the acquirer with the slip.`,
      }),
    );
  }
  return { mismatches, pending };
}

/** The same transaction with different amounts on the two sides. */
export function amountMismatches(ctx: RuleContext): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [tid, sid] of ctx.matching.terminalToSettlement) {
    const t = ctx.byId.get(tid)!;
    const s = ctx.byId.get(sid)!;
    if (t.amountFen === null || s.amountFen === null || t.amountFen === s.amountFen) continue;
    out.push(
      makeMismatch('amount_mismatch', null, [t, s], t.amountFen, s.amountFen, {
        zh: `同一笔交易两边金额不同：终端 ${yuan(t.amountFen)}，清算 ${yuan(s.amountFen)}（${describe(t, 'zh')}），相差 ${yuan(s.amountFen - t.amountFen)}。请与收单机构或顾客核对更正。`,
        en: `The same transaction has different amounts: terminal ${yuan(t.amountFen)}, settlement ${yuan(s.amountFen)} (${describe(t, 'en')}), a difference of ${yuan(s.amountFen - t.amountFen)}. Correct it with the acquirer or the customer.`,
      }),
    );
  }
  return out;
}

/** A fee other than the contracted one for the card type. */
export function feeMismatches(ctx: RuleContext): Mismatch[] {
  const out: Mismatch[] = [];
  for (const s of ctx.settlement) {
    if (!isSale(s) || s.feeFen === null || s.amountFen === null) continue;
    const fees = feesFor(ctx.settings, s.merchantNo, s.txnTime?.slice(0, 10) ?? null);
    const tid = ctx.matching.settlementToTerminal.get(s.id);
    const t = tid === undefined ? undefined : ctx.byId.get(tid);
    const cardType = s.cardType !== 'unknown' ? s.cardType : (t?.cardType ?? 'unknown');
    if (cardType === 'unknown') continue;
    const expected = expectedFee(fees[cardType], s.amountFen);
    if (s.feeFen === expected) continue;
    let subkind: string | null = null;
    let zhWhy = '';
    let enWhy = '';
    if (cardType === 'debit' && s.feeFen === expectedFee(fees.credit, s.amountFen)) {
      subkind = 'debit_charged_as_credit';
      zhWhy = '借记卡被按贷记卡费率收费。';
      enWhy = 'A debit card was charged the credit-card rate. ';
    } else if (
      cardType === 'debit' &&
      fees.debit.capFen !== null &&
      s.feeFen > fees.debit.capFen + fees.debit.fixedFen
    ) {
      subkind = 'debit_over_cap';
      zhWhy = `借记卡手续费超过封顶 ${yuan(fees.debit.capFen)}。`;
      enWhy = `The debit fee is over its cap of ${yuan(fees.debit.capFen)}. `;
    }
    const records = t ? [t, s] : [s];
    out.push(
      makeMismatch('fee_mismatch', subkind, records, expected, s.feeFen, {
        zh: `${zhWhy}这笔交易（${describe(s, 'zh')}）按合同应收手续费 ${yuan(expected)}，实际收取 ${yuan(s.feeFen)}，多收 ${yuan(s.feeFen - expected)}。请向收单机构申请退还差额。`,
        en: `${enWhy}For this transaction (${describe(s, 'en')}) the contracted fee is ${yuan(expected)} but ${yuan(s.feeFen)} was taken, ${yuan(s.feeFen - expected)} too much. Claim the difference from the acquirer.`,
      }),
    );
  }
  return out;
}

/** A sale voided or refunded on the terminal that was still settled in full. */
export function voidsNotReflected(ctx: RuleContext): Mismatch[] {
  const out: Mismatch[] = [];
  for (const r of ctx.terminal) {
    // Voids and refunds only: an automatic reversal (冲正) that never reached the acquirer leaves a
    // failed or timed-out sale settled, which is charged_not_recorded, not reported twice.
    if ((r.txnType !== 'void' && r.txnType !== 'refund') || r.status === 'failed' || r.status === 'timeout')
      continue;
    const saleId = ctx.matching.reverses.get(r.id);
    if (saleId === undefined) continue;
    if (ctx.matching.terminalToSettlement.has(r.id)) continue; // the reversal itself was settled
    const sale = ctx.byId.get(saleId)!;
    const settled = settledFor(ctx, sale);
    if (!settled || settled.amountFen === null) continue; // absent from settlement: as expected
    const settledReversals = ctx.matching.reversedBy.get(settled.id) ?? [];
    if (settledReversals.length > 0) continue;
    const clearing = clearingDate(r, ctx.settings.cutoff);
    if (clearing === null || !ctx.settlementDates.has(clearing)) continue; // may still come
    const undone = r.amountFen ?? 0;
    const word = r.txnType === 'refund' ? { zh: '退货', en: 'refunded' } : { zh: '撤销', en: 'voided' };
    out.push(
      makeMismatch(
        'void_not_reflected',
        r.txnType,
        [sale, r, settled],
        settled.amountFen - undone,
        settled.amountFen,
        {
          zh: `这笔交易已在终端${word.zh}（${describe(r, 'zh')}），但清算仍按全额 ${yuan(settled.amountFen)} 结算，没有冲回 ${yuan(undone)}。请向收单机构申请冲回，或确认顾客已获退款。`,
          en: `This sale was ${word.en} on the terminal (${describe(r, 'en')}) but was still settled in full at ${yuan(settled.amountFen)}; ${yuan(undone)} was never reversed. Ask the acquirer to reverse it, or make sure the customer was refunded.`,
        },
      ),
    );
  }
  return out;
}

function compareText(a: string | null, b: string | null): number {
  return a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
}
