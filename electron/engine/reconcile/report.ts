import { MISMATCH_LABELS } from '../../../shared/mismatches';
import type { Lang } from '../../../shared/records';
import type { ExportTable } from '../export/table';
import type { StoredMismatch } from './cases';
import type { ReconRecord } from './types';

/** The stable JSON shape of a mismatch (`posrecon mismatches --json`): scripts depend on it. */
export function mismatchJson(m: StoredMismatch) {
  return {
    id: m.id,
    kind: m.kind,
    subkind: m.subkind,
    status: m.status,
    note: m.note,
    closedReason: m.closedReason,
    expectedFen: m.expectedFen,
    actualFen: m.actualFen,
    differenceFen: m.differenceFen,
    records: m.records.map((r) => {
      const { id, source, file, sheet, row, rrn, amountFen, time } = recordJson(r);
      return { id, source, file, sheet, row, rrn, amountFen, time };
    }),
    explanation: m.explanation,
  };
}

/** A record as `posrecon search --json` shows it: provenance and the fields people ask about. */
export function recordJson(r: ReconRecord) {
  return {
    id: r.id,
    source: r.source,
    file: r.file,
    sheet: r.sheet,
    row: r.row,
    time: r.txnTime,
    terminalNo: r.terminalNo,
    cardNo: r.cardNo,
    cardLast4: r.cardLast4,
    amountFen: r.amountFen,
    feeFen: r.feeFen,
    rrn: r.rrn,
    trace: r.trace,
    batch: r.batch,
    txnType: r.txnType,
    status: r.status,
  };
}

/** The mismatch list as a table for .csv / .xlsx, in the user's language. */
export function mismatchTable(list: StoredMismatch[], lang: Lang): ExportTable {
  const zh = lang === 'zh';
  return {
    sheet: zh ? '差异' : 'Mismatches',
    headers: zh
      ? [
          '编号',
          '类型',
          '子类型',
          '状态',
          '交易时间',
          '终端号',
          '卡号后四位',
          '参考号',
          '应为(元)',
          '实际(元)',
          '差额(元)',
          '说明',
          '记录(文件:行)',
          '备注',
        ]
      : [
          'ID',
          'Kind',
          'Subkind',
          'Status',
          'Time',
          'Terminal',
          'Card last 4',
          'RRN',
          'Expected',
          'Actual',
          'Difference',
          'Explanation',
          'Records (file:row)',
          'Note',
        ],
    rows: list.map((m) => {
      const first = m.records[0];
      return [
        { text: m.id },
        { text: MISMATCH_LABELS[m.kind][lang] },
        { text: m.subkind },
        { text: m.status },
        { text: first?.txnTime ?? null },
        { text: first?.terminalNo ?? null },
        { text: first?.cardLast4 ?? null },
        { text: first?.rrn ?? null },
        { fen: m.expectedFen },
        { fen: m.actualFen },
        { fen: m.differenceFen },
        { text: m.explanation[lang] },
        { text: m.records.map((r) => `${r.file}${r.sheet ? `[${r.sheet}]` : ''}:${r.row}`).join('; ') },
        { text: m.note },
      ];
    }),
  };
}
