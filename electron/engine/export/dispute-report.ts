import { MISMATCH_LABELS, MISMATCH_RULES, type MismatchKind } from '../../../shared/mismatches';
import { yuan } from '../../../shared/money';
import { RECORD_FIELDS } from '../../../shared/record-fields';
import {
  type Lang,
  SOURCE_LABELS,
  TXN_STATUS_LABELS,
  TXN_TYPE_LABELS,
  pick as t,
} from '../../../shared/records';
import { STATUS_LABELS } from '../../../shared/statuses';
import type { StoredMismatch } from '../reconcile/cases';
import type { ReconRecord } from '../reconcile/types';
import type { Attachment, Case, HistoryEntry } from '../reconcile/workflow';
import { historyText } from './history-text';
import type { ReportBlock, ReportDoc } from './report-doc';

// The dispute report (申诉报告): the facts a customer-service desk asks for, what was expected
// against what happened, the timeline, the rule that flagged it, the case's history, and a
// request the manager can send as it is.

export interface DisputeInput {
  lang: Lang;
  mismatches: StoredMismatch[];
  history: Map<string, HistoryEntry[]>;
  attachments: Attachment[];
  case?: Case;
  generatedAt: string;
  generatedBy: string;
  appVersion: string;
  /** The day by which we ask for an answer (a number of working days from today). */
  replyBy: string;
  /** The shop's own merchant, for mismatches whose records do not name it (a bank line): asked
   *  for only then, as finding it may read every record. */
  merchant?: () => { no: string | null; name: string | null };
}

const money = (fen: number | null) => (fen === null ? '—' : yuan(fen));

/** What we ask the acquirer or bank to do, per kind, with the money at stake. */
const REQUESTS: Record<MismatchKind, { zh: (amount: string) => string; en: (amount: string) => string }> = {
  duplicate_charge: {
    zh: (a) => `同一笔消费被重复扣款，请核实并将重复扣收的 ${a} 退还持卡人。`,
    en: (a) =>
      `One purchase was charged more than once: please verify and refund the extra ${a} to the cardholder.`,
  },
  charged_not_recorded: {
    zh: (a) =>
      `终端显示交易未成功，但款项 ${a} 已被清算扣收，请核实并冲正退还持卡人（或确认交易有效并告知我方）。`,
    en: (a) =>
      `The terminal shows this transaction as not completed, yet ${a} was cleared: please verify and reverse it to the cardholder (or confirm it stands and tell us).`,
  },
  not_settled: {
    zh: (a) => `终端显示成功的交易至今未见清算，请核实并补付结算款 ${a}。`,
    en: (a) =>
      `A sale the terminal shows as successful has not been settled: please verify and pay the ${a} due.`,
  },
  amount_mismatch: {
    zh: (a) => `清算金额与终端交易金额不符，差额 ${a}，请核实并更正。`,
    en: (a) => `The settled amount differs from the terminal's by ${a}: please verify and correct it.`,
  },
  fee_mismatch: {
    zh: (a) => `手续费与合同约定费率不符，多收 ${a}，请按合同费率重新计费并退还。`,
    en: (a) =>
      `The fee differs from the contracted rate by ${a}: please recalculate at the contracted rate and refund it.`,
  },
  void_not_reflected: {
    zh: (a) => `已撤销或退货的交易仍被全额清算，请冲回 ${a}。`,
    en: (a) => `A voided or refunded sale was still settled in full: please reverse the ${a}.`,
  },
  settlement_shortfall: {
    zh: (a) => `银行入账金额与应结净额不符，差额 ${a}，请核实并补付。`,
    en: (a) =>
      `The bank credit differs from the net settlement due by ${a}: please verify and pay the difference.`,
  },
};

function firstOf(records: ReconRecord[], pick: (r: ReconRecord) => string | null): string {
  for (const r of records) {
    const v = pick(r);
    if (v) return v;
  }
  return '—';
}

/** The records of one mismatch side by side: one column per record, one row per field. */
function recordsTable(records: ReconRecord[], lang: Lang): ReportBlock[] {
  const tables: ReportBlock[] = [];
  // Four records fit across an A4 page; a larger group continues in a second table.
  for (let i = 0; i < records.length; i += 4) {
    const group = records.slice(i, i + 4);
    const field = (zh: string, en: string, get: (r: ReconRecord) => string | null) => [
      t(lang, zh, en),
      ...group.map((r) => get(r) ?? ''),
    ];
    const rows = [
      ...RECORD_FIELDS.map((f) => field(f.label.zh, f.label.en, (r) => f.get(r, lang))),
      field('原始记录', 'Source row', (r) =>
        t(
          lang,
          `${r.file}${r.sheet ? ` [${r.sheet}]` : ''} 第 ${r.row} 行`,
          `${r.file}${r.sheet ? ` [${r.sheet}]` : ''} row ${r.row}`,
        ),
      ),
    ].filter((row) => row.slice(1).some((v) => v !== ''));
    tables.push({
      type: 'table',
      headers: [t(lang, '项目', 'Field'), ...group.map((r) => SOURCE_LABELS[r.source][lang])],
      rows,
      widths: [1.1, ...group.map(() => 2)],
    });
  }
  return tables;
}

function timeline(input: DisputeInput, lang: Lang): string[][] {
  const events: Array<[string, string]> = [];
  const records = new Map(input.mismatches.flatMap((m) => m.records).map((r) => [r.id, r]));
  for (const r of records.values()) {
    const what = `${SOURCE_LABELS[r.source][lang]} · ${TXN_TYPE_LABELS[r.txnType][lang]} ${r.amountFen === null ? '' : yuan(r.amountFen)}${
      r.source === 'terminal' ? ` · ${TXN_STATUS_LABELS[r.status][lang]}` : ''
    }${r.rrn ? ` · ${t(lang, '参考号', 'RRN')} ${r.rrn}` : ''}`;
    if (r.txnTime) events.push([r.txnTime, what]);
    if (r.source === 'settlement' && r.clearDate) {
      events.push([
        r.clearDate,
        t(lang, `收单机构清算 ${r.rrn ?? ''}`, `cleared by the acquirer ${r.rrn ?? ''}`),
      ]);
    }
  }
  for (const m of input.mismatches) {
    events.push([
      m.firstSeen,
      t(lang, `对账发现：${MISMATCH_LABELS[m.kind].zh}`, `reconcile found: ${MISMATCH_LABELS[m.kind].en}`),
    ]);
    for (const h of input.history.get(m.id) ?? []) events.push([h.at, `${h.user}：${historyText(h, lang)}`]);
  }
  // One line per event: a case step recorded on each of its mismatches is one step.
  const lines = new Set(events.map(([at, what]) => `${at}\u0000${what}`));
  return [...lines].sort().map((line) => line.split('\u0000'));
}

export function disputeReport(input: DisputeInput): ReportDoc {
  const { lang, mismatches } = input;
  const records = mismatches.flatMap((m) => m.records);
  const total = mismatches.reduce((s, m) => s + Math.abs(m.differenceFen ?? 0), 0);
  const merchantName = firstOf(records, (r) => r.merchantName ?? input.merchant?.().name ?? null);
  const merchantNo = firstOf(records, (r) => r.merchantNo ?? input.merchant?.().no ?? null);
  const terminals =
    [...new Set(records.flatMap((r) => (r.terminalNo ? [r.terminalNo] : [])))].join(', ') || '—';
  const reference = input.case
    ? t(lang, `案件 #${input.case.id} ${input.case.title}`, `Case #${input.case.id} ${input.case.title}`)
    : mismatches.map((m) => m.id).join(', ');

  const blocks: ReportBlock[] = [
    {
      type: 'table',
      headers: null,
      widths: [1, 2, 1, 2],
      rows: [
        [t(lang, '商户名称', 'Merchant'), merchantName, t(lang, '商户号', 'Merchant no.'), merchantNo],
        [t(lang, '终端号', 'Terminal'), terminals, t(lang, '编号', 'Reference'), reference],
        [
          t(lang, '涉及金额', 'Amount in dispute'),
          yuan(total),
          t(lang, '差异数', 'Mismatches'),
          String(mismatches.length),
        ],
      ],
    },
  ];

  for (const m of mismatches) {
    blocks.push({ type: 'heading', text: `${MISMATCH_LABELS[m.kind][lang]}（${m.id}）` });
    blocks.push({ type: 'paragraph', text: m.explanation[lang] });
    const facts: string[][] = [
      [t(lang, '应为', 'Expected'), money(m.expectedFen), t(lang, '实际', 'Actual'), money(m.actualFen)],
      [
        t(lang, '差额', 'Difference'),
        money(m.differenceFen),
        t(lang, '处理状态', 'Status'),
        STATUS_LABELS[m.status][lang],
      ],
      [
        t(lang, '判定规则', 'Rule'),
        MISMATCH_RULES[m.kind][lang],
        t(lang, '首次发现', 'First found'),
        m.firstSeen,
      ],
    ];
    if (m.ticketNo) {
      facts.push([
        t(lang, '工单号', 'Ticket'),
        m.ticketNo,
        t(lang, '申诉日期', 'Filed on'),
        m.ticketDate ?? '—',
      ]);
    }
    if (m.recoveredFen !== null || m.dismissReason) {
      facts.push([
        t(lang, '追回/退还', 'Recovered'),
        money(m.recoveredFen),
        t(lang, '忽略原因', 'Dismissed because'),
        m.dismissReason ?? '—',
      ]);
    }
    blocks.push({ type: 'table', headers: null, widths: [1, 2, 1, 2], rows: facts });
    blocks.push(...recordsTable(m.records, lang));
  }

  blocks.push({ type: 'heading', text: t(lang, '时间线与处理记录', 'Timeline and case history') });
  blocks.push({
    type: 'table',
    headers: [t(lang, '时间', 'When'), t(lang, '事件', 'What happened')],
    rows: timeline(input, lang),
    widths: [1, 4],
  });

  if (input.attachments.length > 0) {
    blocks.push({ type: 'heading', text: t(lang, '附件', 'Attachments') });
    blocks.push({
      type: 'table',
      headers: [t(lang, '文件', 'File'), t(lang, '添加人/时间', 'Added by / at'), 'SHA-256'],
      rows: input.attachments.map((a) => [`附件/${a.fileName}`, `${a.addedBy} ${a.addedAt}`, a.sha256]),
      widths: [2, 2, 3],
    });
  }

  const requests = [...new Set(mismatches.map((m) => m.kind))].map((kind) =>
    REQUESTS[kind][lang](
      yuan(mismatches.filter((m) => m.kind === kind).reduce((s, m) => s + Math.abs(m.differenceFen ?? 0), 0)),
    ),
  );
  blocks.push({ type: 'heading', text: t(lang, '申诉请求', 'Our request') });
  blocks.push({
    type: 'paragraph',
    text: t(
      lang,
      `致收单机构/银行客户服务部：我方（${merchantName}，商户号 ${merchantNo}）核对终端交易记录、清算明细及银行流水后，发现上述交易存在差异，涉及金额合计 ${yuan(total)}。`,
      `To the acquirer's / bank's customer service: we (${merchantName}, merchant no. ${merchantNo}) checked our terminal records, the settlement detail and our bank statement and found the discrepancies above, ${yuan(total)} in all.`,
    ),
  });
  for (const r of requests) blocks.push({ type: 'paragraph', text: r });
  blocks.push({
    type: 'paragraph',
    text: t(
      lang,
      `请于 ${input.replyBy} 前完成核实并处理，或书面说明原因。随附交易明细、原始导出文件及其 SHA-256 校验值（manifest.json），可随时复核。联系人：${input.generatedBy}。`,
      `Please verify and settle this by ${input.replyBy}, or explain in writing why not. The transaction detail, the original export files and their SHA-256 checksums (manifest.json) are attached for checking. Contact: ${input.generatedBy}.`,
    ),
  });

  return {
    lang,
    title: t(lang, '交易差异申诉报告', 'Transaction dispute report'),
    subtitle: t(
      lang,
      `${merchantName}　商户号 ${merchantNo}　生成时间 ${input.generatedAt}　生成人 ${input.generatedBy}`,
      `${merchantName} · merchant no. ${merchantNo} · generated ${input.generatedAt} by ${input.generatedBy}`,
    ),
    blocks,
    footer: `PosRecon ${input.appVersion} · ${reference}`,
  };
}
