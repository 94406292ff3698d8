import { MISMATCH_LABELS, type MismatchKind } from '../../../shared/mismatches';
import { CARD_TYPE_LABELS, type CardType, type Lang, pick as t } from '../../../shared/records';
import { type CaseStatus, STATUS_LABELS, UNDECIDED_STATUSES } from '../../../shared/statuses';
import {
  type ExportCell,
  type ExportTable,
  fenCell as fen,
  numCell as num,
  textCell as text,
} from '../export/table';
import { clearingDate } from '../reconcile/rules';
import { expectedFromTerminal, settledFee, settledNet } from '../reconcile/statement';
import type { ReconRecord } from '../reconcile/types';
import { WorkflowError } from '../reconcile/workflow';
import type { Db } from '../store/database';
import { localNow } from '../time';
import { dayOf, inPeriod, loadPeriod, OUTSTANDING, type Period, periodMismatches } from './period';

// 日结报表: per merchant, terminal and card type — sales, voids and refunds; the fees the contract
// says against the fees taken; the settlement expected against settled against credited; the
// mismatches still open with their money; and who closed each day and when.

interface Tally {
  count: number;
  fen: number;
}

export interface CloseLine {
  merchantNo: string;
  terminalNo: string;
  cardType: CardType;
  sales: Tally;
  voids: Tally;
  refunds: Tally;
  expectedFeeFen: number;
  feeTakenFen: number;
  /** Sales less voids, refunds and the contracted fees: what the acquirer should pay. */
  expectedNetFen: number;
  /** What the acquirer's settlement detail says it pays. */
  settledNetFen: number;
}

export interface CreditLine {
  arrival: string;
  days: string[];
  expectedFen: number;
  creditedFen: number;
}

export interface DayClose {
  day: string;
  closedBy: string;
  closedAt: string;
}

export interface CloseReport {
  period: Period;
  lines: CloseLine[];
  credits: CreditLine[];
  outstanding: Array<{
    id: string;
    kind: MismatchKind;
    status: CaseStatus;
    differenceFen: number | null;
    day: string;
  }>;
  closes: DayClose[];
  /** Days of the period with terminal or settlement records that are not closed yet. */
  openDays: string[];
}

const zero = (): Tally => ({ count: 0, fen: 0 });

export function closeReport(db: Db, period: Period): CloseReport {
  const { records, result, settings, mismatches } = loadPeriod(db, period);
  const lines = new Map<string, CloseLine>();
  const line = (r: ReconRecord) => {
    const key = `${r.merchantNo ?? ''}|${r.terminalNo ?? ''}|${r.cardType}`;
    let l = lines.get(key);
    if (!l) {
      l = {
        merchantNo: r.merchantNo ?? '',
        terminalNo: r.terminalNo ?? '',
        cardType: r.cardType,
        sales: zero(),
        voids: zero(),
        refunds: zero(),
        expectedFeeFen: 0,
        feeTakenFen: 0,
        expectedNetFen: 0,
        settledNetFen: 0,
      };
      lines.set(key, l);
    }
    return l;
  };
  for (const r of records) {
    if (r.source === 'statement' || !inPeriod(dayOf(r), period) || r.amountFen === null) continue;
    if (r.source === 'settlement') {
      const l = line(r);
      l.feeTakenFen += settledFee(r);
      l.settledNetFen += settledNet(r);
      continue;
    }
    if (r.status !== 'success') continue;
    const l = line(r);
    if (r.txnType === 'void' || r.txnType === 'reversal') {
      l.voids.count++;
      l.voids.fen += r.amountFen;
    } else if (r.txnType === 'refund') {
      l.refunds.count++;
      l.refunds.fen += r.amountFen;
    } else {
      l.sales.count++;
      l.sales.fen += r.amountFen;
    }
    // The same rule the bank credit check applies (a voided sale is never settled: no fee, no money).
    const clearing = clearingDate(r, settings.cutoff) ?? dayOf(r)!;
    const expected = expectedFromTerminal(r, clearing, settings, result.voided);
    if (expected) {
      l.expectedFeeFen += expected.feeFen;
      l.expectedNetFen += expected.netFen;
    }
  }
  const closes = db
    .prepare(
      'SELECT day, closed_by AS closedBy, closed_at AS closedAt FROM day_closes WHERE day BETWEEN ? AND ? ORDER BY day',
    )
    .all(period.from, period.to) as DayClose[];
  const closed = new Set(closes.map((c) => c.day));
  const days = new Set(
    records
      .filter((r) => r.source !== 'statement')
      .flatMap((r) => {
        const d = dayOf(r);
        return inPeriod(d, period) ? [d] : [];
      }),
  );
  return {
    period,
    lines: [...lines.values()].sort(
      (a, b) =>
        a.merchantNo.localeCompare(b.merchantNo) ||
        a.terminalNo.localeCompare(b.terminalNo) ||
        a.cardType.localeCompare(b.cardType),
    ),
    // The period's credits: those arriving in it or paying for its days (loadPeriod).
    credits: result.credits.map((g) => ({
      arrival: g.arrival,
      days: g.days,
      expectedFen: g.expectedFen,
      creditedFen: g.creditedFen,
    })),
    outstanding: mismatches
      .filter((m) => OUTSTANDING.has(m.status))
      .map((m) => ({
        id: m.id,
        kind: m.kind,
        status: m.status,
        differenceFen: m.differenceFen,
        day: m.records.map(dayOf).find((d) => d !== null) ?? '',
      })),
    closes,
    openDays: [...days].filter((d) => !closed.has(d)).sort(),
  };
}

/** 日结 refused: the day still has undecided mismatches (a workflow refusal, named in both
 *  languages for the screens; the command line lists the ids itself). */
export class DayNotReadyError extends WorkflowError {
  constructor(
    readonly day: string,
    readonly undecided: string[],
  ) {
    super(
      `${day} 还不能日结：${undecided.length} 项差异尚待处理（${undecided.join('，')}）。`,
      `${day} cannot be closed yet: ${undecided.length} mismatches await a decision (${undecided.join(', ')}).`,
    );
  }
}

/** 日结: marks a day closed once every mismatch touching it is decided (disputed, resolved,
 *  dismissed, or closed by data). Closing again records the latest close. */
export function closeDay(db: Db, day: string, user: string): DayClose {
  const mismatches = periodMismatches(db, { from: day, to: day });
  const undecided = mismatches.filter((m) => UNDECIDED_STATUSES.has(m.status)).map((m) => m.id);
  if (undecided.length > 0) throw new DayNotReadyError(day, undecided);
  const closedAt = localNow();
  db.prepare(
    `INSERT INTO day_closes (day, closed_by, closed_at) VALUES (?, ?, ?)
     ON CONFLICT (day) DO UPDATE SET closed_by = excluded.closed_by, closed_at = excluded.closed_at`,
  ).run(day, user, closedAt);
  return { day, closedBy: user, closedAt };
}

/** The report as printable sheets: summary lines, credits, outstanding mismatches. */
export function closeReportTables(report: CloseReport, lang: Lang, generatedBy: string): ExportTable[] {
  const { period } = report;
  const range = period.from === period.to ? period.from : `${period.from} – ${period.to}`;
  const status =
    report.openDays.length === 0
      ? t(
          lang,
          `日结状态：已日结（${report.closes.map((c) => `${c.day} ${c.closedBy} ${c.closedAt}`).join('；')}）`,
          `Close status: closed (${report.closes.map((c) => `${c.day} by ${c.closedBy} at ${c.closedAt}`).join('; ')})`,
        )
      : t(
          lang,
          `日结状态：未日结 ${report.openDays.join('、')}`,
          `Close status: not closed ${report.openDays.join(', ')}`,
        );
  const sum = (pick: (l: CloseLine) => number) => report.lines.reduce((s, l) => s + pick(l), 0);
  const tally = (pick: (l: CloseLine) => Tally) => ({
    count: sum((l) => pick(l).count),
    fen: sum((l) => pick(l).fen),
  });
  /** The figures of a line (the differences included), from its sales count on. */
  const figures = (l: Omit<CloseLine, 'merchantNo' | 'terminalNo' | 'cardType'>): ExportCell[] => [
    num(l.sales.count),
    fen(l.sales.fen),
    num(l.voids.count),
    fen(l.voids.fen),
    num(l.refunds.count),
    fen(l.refunds.fen),
    fen(l.expectedFeeFen),
    fen(l.feeTakenFen),
    fen(l.feeTakenFen - l.expectedFeeFen),
    fen(l.expectedNetFen),
    fen(l.settledNetFen),
    fen(l.settledNetFen - l.expectedNetFen),
  ];
  const row = (l: CloseLine): ExportCell[] => [
    text(l.merchantNo),
    text(l.terminalNo),
    text(CARD_TYPE_LABELS[l.cardType][lang]),
    ...figures(l),
  ];
  const summary: ExportTable = {
    sheet: t(lang, '日结汇总', 'Summary'),
    title: t(lang, `POS 收单日结报表　${range}`, `POS daily close report · ${range}`),
    notes: [
      status,
      t(
        lang,
        `生成：${generatedBy}　${localNow()}　金额单位：元`,
        `Generated by ${generatedBy} at ${localNow()} · amounts in yuan`,
      ),
    ],
    headers: [
      t(lang, '商户号', 'Merchant'),
      t(lang, '终端号', 'Terminal'),
      t(lang, '卡种', 'Card type'),
      t(lang, '消费笔数', 'Sales'),
      t(lang, '消费金额', 'Sales amount'),
      t(lang, '撤销笔数', 'Voids'),
      t(lang, '撤销金额', 'Void amount'),
      t(lang, '退货笔数', 'Refunds'),
      t(lang, '退货金额', 'Refund amount'),
      t(lang, '应收手续费', 'Contracted fee'),
      t(lang, '实收手续费', 'Fee taken'),
      t(lang, '手续费差额', 'Fee difference'),
      t(lang, '应结算', 'Settlement due'),
      t(lang, '已结算', 'Settled'),
      t(lang, '结算差额', 'Settlement difference'),
    ],
    widths: [17, 11, 9, 8, 13, 8, 12, 8, 12, 12, 12, 11, 13, 13, 12],
    rows: [
      ...report.lines.map(row),
      // The total's differences are the totals' differences: every figure is whole fen.
      [
        text(t(lang, '合计', 'Total')),
        text(null),
        text(null),
        ...figures({
          sales: tally((l) => l.sales),
          voids: tally((l) => l.voids),
          refunds: tally((l) => l.refunds),
          expectedFeeFen: sum((l) => l.expectedFeeFen),
          feeTakenFen: sum((l) => l.feeTakenFen),
          expectedNetFen: sum((l) => l.expectedNetFen),
          settledNetFen: sum((l) => l.settledNetFen),
        }),
      ],
    ],
  };
  const credits: ExportTable = {
    sheet: t(lang, '到账核对', 'Credits'),
    title: t(lang, `银行到账核对　${range}`, `Bank credits · ${range}`),
    headers: [
      t(lang, '到账日', 'Credited on'),
      t(lang, '清算日', 'Clearing days'),
      t(lang, '应到账', 'Due'),
      t(lang, '实际到账', 'Credited'),
      t(lang, '差额', 'Difference'),
    ],
    widths: [12, 26, 14, 14, 12],
    rows: report.credits.map((c) => [
      text(c.arrival),
      text(c.days.join(', ')),
      fen(c.expectedFen),
      fen(c.creditedFen),
      fen(c.creditedFen - c.expectedFen),
    ]),
  };
  const outstanding: ExportTable = {
    sheet: t(lang, '未结差异', 'Open mismatches'),
    title: t(lang, `未结差异　${range}`, `Open mismatches · ${range}`),
    headers: [
      t(lang, '编号', 'Id'),
      t(lang, '类型', 'Kind'),
      t(lang, '状态', 'Status'),
      t(lang, '交易日', 'Day'),
      t(lang, '差额', 'Difference'),
    ],
    widths: [32, 18, 10, 12, 12],
    rows: report.outstanding.map((m) => [
      text(m.id),
      text(MISMATCH_LABELS[m.kind][lang]),
      text(STATUS_LABELS[m.status][lang]),
      text(m.day),
      fen(m.differenceFen),
    ]),
  };
  return [summary, credits, outstanding];
}
