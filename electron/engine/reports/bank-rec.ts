import { yuan } from '../../../shared/money';
import { type Lang, pick as t } from '../../../shared/records';
import { type ExportCell, type ExportTable, fenCell as fen, textCell as text } from '../export/table';
import { signOf } from '../reconcile/match';
import { arrivalDate, settledFee, settledNet } from '../reconcile/statement';
import type { Db } from '../store/database';
import { localNow } from '../time';
import { dayOf, inPeriod, loadPeriod, OUTSTANDING, type Period } from './period';

// 余额调节表 for POS receipts: the shop's book figure (what its terminals took, less voids and
// refunds) against what the bank credited from the acquirer in the period, with the reconciling
// items between them listed so that both sides agree, in the two-sided layout Chinese accounting
// uses (企业账面 | 银行对账单).

export interface RecItem {
  label: { zh: string; en: string };
  fen: number;
  /** What makes up the item: mismatch ids, transactions, days. */
  detail: string[];
}

export interface BankRec {
  period: Period;
  /** POS receipts as booked: terminal sales less voids and refunds, by trade day in the period. */
  bookFen: number;
  /** 银付企未付: taken by the acquirer or bank, not yet in the books (fees). */
  bookLess: RecItem[];
  /** The acquirer's credits on the bank statement in the period. */
  bankFen: number;
  /** 企收银未收: booked receipts the bank has not credited (in transit, not settled, short). */
  bankAdd: RecItem[];
  /** 银收企未收: credits in the period for trade days before it. */
  bankLess: RecItem[];
  adjustedBookFen: number;
  adjustedBankFen: number;
  /** What no named item explains, listed as 其他差异（待查）: 0 when the two sides agree. */
  unexplainedFen: number;
}

/** Whether the two sides agree, or by how much they do not, in words. */
export function agreement(rec: BankRec, lang: Lang): string {
  if (rec.unexplainedFen === 0) return t(lang, '调节后两方相符', 'adjusted balances agree');
  return t(
    lang,
    `两方相差 ${yuan(rec.unexplainedFen)} 未能解释，列为“其他差异（待查）”`,
    `${yuan(rec.unexplainedFen)} is unexplained, listed as "other differences (to investigate)"`,
  );
}

const sum = (items: RecItem[]) => items.reduce((s, i) => s + i.fen, 0);

export function bankReconciliation(db: Db, period: Period): BankRec {
  const { records, result, settings, mismatches } = loadPeriod(db, period);
  const terminal = records.filter(
    (r) => r.source === 'terminal' && r.status === 'success' && r.amountFen !== null,
  );
  const settled = records.filter((r) => r.source === 'settlement' && r.amountFen !== null);
  const inP = (r: (typeof records)[number]) => inPeriod(dayOf(r), period);

  const bookFen = terminal.filter(inP).reduce((s, r) => s + signOf(r) * r.amountFen!, 0);
  const settledInP = settled.filter(inP);
  const grossFen = settledInP.reduce((s, r) => s + signOf(r) * r.amountFen!, 0);
  const feesFen = settledInP.reduce((s, r) => s + settledFee(r), 0);

  // Credits arriving in the period, and what of them pays for trade days before it.
  const groups = result.credits.filter((g) => inPeriod(g.arrival, period));
  const bankFen = groups.reduce((s, g) => s + g.creditedFen, 0);
  const earlier = groups.flatMap((g) => g.parts.filter((p) => !inP(p.record)));
  const shortfall = groups.filter((g) => g.credits.length > 0 && g.expectedFen !== g.creditedFen);

  // Settled in the period, arriving after it (or after the last day the statement shows).
  const lastStatementDay = records
    .filter((r) => r.source === 'statement')
    .map(dayOf)
    .reduce<string>((m, d) => (d && d > m ? d : m), '');
  const horizon = lastStatementDay && lastStatementDay < period.to ? lastStatementDay : period.to;
  const inTransit = settledInP.filter((r) => {
    return arrivalDate(r.clearDate ?? dayOf(r)!, r.merchantNo, settings) > horizon;
  });
  const transitFen = inTransit.reduce((s, r) => s + settledNet(r), 0);

  const cardKinds = mismatches.filter((m) => m.kind !== 'settlement_shortfall' && OUTSTANDING.has(m.status));
  const bookLess: RecItem[] = [
    {
      label: { zh: '减：收单机构扣收的手续费', en: 'Less: fees the acquirer deducted' },
      fen: feesFen,
      detail: [],
    },
  ];
  const bankAdd: RecItem[] = [
    {
      label: {
        zh: '加：终端已收、收单机构未清算或金额不符',
        en: 'Add: taken at the terminal, not settled or settled differently',
      },
      fen: bookFen - grossFen,
      detail: cardKinds.map((m) => m.id),
    },
    {
      label: { zh: '加：已清算、尚未到账（在途）', en: 'Add: settled, not yet credited (in transit)' },
      fen: transitFen,
      detail: inTransit.map((r) => `${r.clearDate ?? ''} ${r.rrn ?? ''}`.trim()),
    },
    {
      label: { zh: '加：到账短款', en: 'Add: credited short' },
      fen: shortfall.reduce((s, g) => s + g.expectedFen - g.creditedFen, 0),
      detail: shortfall.map((g) => `${g.arrival}（${g.days.join(', ')}）`),
    },
  ];
  const bankLess: RecItem[] = [
    {
      label: { zh: '减：本期到账的上期交易', en: 'Less: credited now for trade days before the period' },
      fen: earlier.reduce((s, p) => s + p.netFen, 0),
      detail: earlier.map((p) => `${dayOf(p.record) ?? ''} ${p.record.rrn ?? ''}`.trim()),
    },
  ];
  const adjustedBookFen = bookFen - sum(bookLess);
  // Whatever the named items do not explain is shown as such, never hidden in another line.
  const unexplainedFen = adjustedBookFen - (bankFen + sum(bankAdd) - sum(bankLess));
  if (unexplainedFen !== 0) {
    bankAdd.push({
      label: { zh: '加/减：其他差异（待查）', en: 'Add/less: other differences (to investigate)' },
      fen: unexplainedFen,
      detail: [],
    });
  }
  return {
    period,
    bookFen,
    bookLess,
    bankFen,
    bankAdd,
    bankLess,
    adjustedBookFen,
    // The bank side's items end with the unexplained line whenever there is one: the sides agree,
    // which the bank side's own sum shows.
    adjustedBankFen: bankFen + sum(bankAdd) - sum(bankLess),
    unexplainedFen,
  };
}

/** The statement in the two-sided layout, and a sheet of what each reconciling item holds. */
export function bankRecTables(rec: BankRec, lang: Lang, generatedBy: string): ExportTable[] {
  const range = `${rec.period.from} – ${rec.period.to}`;
  const blank: ExportCell[] = [{ text: null }, { text: null }];
  const side = (items: RecItem[]) => items.map((i): ExportCell[] => [text(i.label[lang]), fen(i.fen)]);
  const left = [
    [text(t(lang, 'POS 收款账面金额', 'POS receipts per books')), fen(rec.bookFen)],
    ...side(rec.bookLess),
  ];
  const right = [
    [text(t(lang, '银行对账单收单入账', 'Acquirer credits per bank statement')), fen(rec.bankFen)],
    ...side(rec.bankAdd),
    ...side(rec.bankLess),
  ];
  const height = Math.max(left.length, right.length);
  const rows: ExportCell[][] = Array.from({ length: height }, (_, i) => [
    ...(left[i] ?? blank),
    ...(right[i] ?? blank),
  ]);
  rows.push([
    text(t(lang, '调节后余额', 'Adjusted balance')),
    fen(rec.adjustedBookFen),
    text(t(lang, '调节后余额', 'Adjusted balance')),
    fen(rec.adjustedBankFen),
  ]);
  const statement: ExportTable = {
    sheet: t(lang, '余额调节表', 'Reconciliation'),
    title: t(lang, `POS 收款银行存款余额调节表　${range}`, `POS receipts bank reconciliation · ${range}`),
    notes: [
      t(
        lang,
        `编制：${generatedBy}　${localNow()}　金额单位：元　${agreement(rec, 'zh')}`,
        `Prepared by ${generatedBy} at ${localNow()} · amounts in yuan · ${agreement(rec, 'en')}`,
      ),
    ],
    headers: [
      t(lang, '企业账面项目', 'Books'),
      t(lang, '金额', 'Amount'),
      t(lang, '银行对账单项目', 'Bank statement'),
      t(lang, '金额', 'Amount'),
    ],
    widths: [34, 14, 40, 14],
    rows,
  };
  const detail: ExportTable = {
    sheet: t(lang, '调节项明细', 'Items'),
    headers: [t(lang, '调节项', 'Item'), t(lang, '金额', 'Amount'), t(lang, '明细', 'Detail')],
    widths: [40, 14, 60],
    rows: [...rec.bookLess, ...rec.bankAdd, ...rec.bankLess].flatMap((i) =>
      (i.detail.length ? i.detail : ['']).map((d, n): ExportCell[] => [
        text(n === 0 ? i.label[lang] : ''),
        n === 0 ? fen(i.fen) : { fen: null },
        text(d),
      ]),
    ),
  };
  return [statement, detail];
}
