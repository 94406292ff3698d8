import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { MISMATCH_LABELS } from '../../../shared/mismatches';
import { type Lang, SOURCE_LABELS, TXN_STATUS_LABELS } from '../../../shared/records';
import { addWorkingDays } from '../reconcile/calendar';
import type { StoredMismatch } from '../reconcile/cases';
import { loadRecords } from '../reconcile/load';
import { loadSettings } from '../reconcile/settings-store';
import type { ReconRecord } from '../reconcile/types';
import { attachmentsOf, type Case, historyOf } from '../reconcile/workflow';
import type { Db } from '../store/database';
import { sha256 } from '../store/file-store';
import { originalsOf, type Original as StoreOriginal } from '../store/originals';
import { localNow } from '../time';
import { disputeReport } from './dispute-report';
import { renderReportHtml } from './report-html';
import { renderReportPdf } from './report-pdf';
import { type ExportTable, writeCsvBytes, writeXlsxBytes } from './table';

// An evidence bundle (证据包): everything an acquirer's customer service or a bank asks for about a
// mismatch, in one zip whose manifest lets anyone check later that nothing was changed.

export interface BundleOptions {
  generatedBy: string;
  appVersion: string;
  lang: Lang;
  /** The case these mismatches belong to, when the bundle is for a case. */
  case?: Case;
  /** Only the involved rows of each original file instead of the whole file (for large files). */
  rowsOnly?: boolean;
}

/** Working days the dispute letter gives the acquirer to answer. */
const REPLY_WORKING_DAYS = 7;

/** A file name Windows, macOS and Linux all accept. */
export function safeFileName(name: string): string {
  return (
    name
      .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_')
      .replace(/[. ]+$/, '')
      .slice(0, 150) || 'bundle'
  );
}

function bundleName(mismatches: StoredMismatch[], theCase?: Case): string {
  const first = mismatches[0]!;
  const r = first.records[0];
  const parts = [
    theCase ? `案件${theCase.id}` : null,
    MISMATCH_LABELS[first.kind].zh,
    r?.terminalNo ? `终端${r.terminalNo}` : null,
    r?.txnTime ? r.txnTime.slice(0, 10).replaceAll('-', '') : null,
    r?.rrn ? `参考号${r.rrn}` : null,
    mismatches.length > 1 ? `等${mismatches.length}项` : null,
  ];
  return safeFileName(`${parts.filter(Boolean).join('_')}.zip`);
}

type Original = StoreOriginal<ReconRecord>;

function replyBy(db: Db, today: string): string {
  return addWorkingDays(today, REPLY_WORKING_DAYS, loadSettings(db).calendar);
}

/** The merchant most of the stored card records belong to: the shop sending the letter. */
function shopMerchant(db: Db): { no: string | null; name: string | null } {
  const row = db
    .prepare(
      `SELECT merchant_no AS no FROM records WHERE merchant_no IS NOT NULL
       GROUP BY merchant_no ORDER BY count(*) DESC LIMIT 1`,
    )
    .get() as { no: string } | undefined;
  if (!row) return { no: null, name: null };
  const named = loadRecords(db, {
    sql: 'r.id IN (SELECT id FROM records WHERE merchant_no = :no ORDER BY id LIMIT 50)',
    params: { no: row.no },
  }).find((r) => r.merchantName);
  return { no: row.no, name: named?.merchantName ?? null };
}

/** Builds the zip for one or more mismatches (a case). */
export async function buildBundle(
  db: Db,
  fileStore: string,
  mismatches: StoredMismatch[],
  options: BundleOptions,
): Promise<{ name: string; zip: Uint8Array }> {
  const records = [...new Map(mismatches.flatMap((m) => m.records).map((r) => [r.id, r])).values()];
  const originals = originalsOf(db, records);
  const files: Record<string, Uint8Array> = {};
  const enc = new TextEncoder();

  const sideBySide: ExportTable = {
    sheet: '对照',
    headers: [
      '差异编号',
      '类型',
      '来源',
      '文件',
      '工作表',
      '行号',
      '交易时间',
      '终端号',
      '卡号',
      '金额(元)',
      '手续费(元)',
      '参考号',
      '凭证号',
      '批次号',
      '授权码',
      '状态',
    ],
    rows: mismatches.flatMap((m) =>
      m.records.map((r) => [
        { text: m.id },
        { text: MISMATCH_LABELS[m.kind].zh },
        { text: SOURCE_LABELS[r.source].zh },
        { text: r.file },
        { text: r.sheet },
        { num: r.row },
        { text: r.txnTime },
        { text: r.terminalNo },
        { text: r.cardNo ?? r.cardLast4 },
        { fen: r.amountFen },
        { fen: r.feeFen },
        { text: r.rrn },
        { text: r.trace },
        { text: r.batch },
        { text: r.authCode },
        { text: TXN_STATUS_LABELS[r.status].zh },
      ]),
    ),
  };
  const width = Math.max(0, ...originals.map((o) => o.cells.length));
  const originalRows: ExportTable = {
    sheet: '原始行',
    headers: ['文件', '工作表', '行号', ...Array.from({ length: width }, (_, i) => `第${i + 1}列`)],
    rows: originals.map((o) => {
      return [
        { text: o.fileName },
        { text: o.record.sheet },
        { num: o.record.row },
        ...o.cells.map((c) => ({ text: c })),
      ];
    }),
  };
  files['交易明细.xlsx'] = writeXlsxBytes([sideBySide, originalRows]);

  const seen = new Set<string>();
  for (const o of originals) {
    if (seen.has(o.sha256)) continue;
    seen.add(o.sha256);
    const base = safeFileName(options.rowsOnly ? `${o.fileName}_相关行.csv` : o.fileName);
    const name = files[`原始文件/${base}`] ? `原始文件/${o.sha256.slice(0, 8)}_${base}` : `原始文件/${base}`;
    files[name] = options.rowsOnly
      ? relevantRows(originals.filter((x) => x.sha256 === o.sha256))
      : readFileSync(join(fileStore, o.storedName));
  }
  const ids = mismatches.map((m) => m.id);
  const attachments = attachmentsOf(db, ids);
  for (const a of attachments) {
    const base = safeFileName(a.fileName);
    const name = files[`附件/${base}`] ? `附件/${a.sha256.slice(0, 8)}_${base}` : `附件/${base}`;
    files[name] = readFileSync(join(fileStore, a.storedName));
  }

  const generatedAt = localNow();
  let shop: ReturnType<typeof shopMerchant> | undefined;
  const report = disputeReport({
    lang: options.lang,
    mismatches,
    history: new Map(ids.map((id) => [id, historyOf(db, id)])),
    attachments,
    case: options.case,
    generatedAt,
    generatedBy: options.generatedBy,
    appVersion: options.appVersion,
    replyBy: replyBy(db, generatedAt.slice(0, 10)),
    merchant: () => (shop ??= shopMerchant(db)),
  });
  files['申诉报告.html'] = enc.encode(renderReportHtml(report));
  files['申诉报告.pdf'] = await renderReportPdf(report, generatedAt);

  const manifest = {
    app: 'PosRecon',
    appVersion: options.appVersion,
    generatedAt,
    generatedBy: options.generatedBy,
    mismatchIds: ids,
    caseId: options.case?.id ?? null,
    rowsOnly: options.rowsOnly === true,
    files: Object.entries(files).map(([path, bytes]) => ({
      path,
      sha256: sha256(bytes),
      size: bytes.byteLength,
    })),
    originals: [
      ...new Map(
        originals.map((o) => [o.sha256, { file: o.fileName, sha256: o.sha256, size: o.size }]),
      ).values(),
    ],
    records: originals.map((o) => {
      const r = o.record;
      return {
        source: r.source,
        file: o.fileName,
        sha256: o.sha256,
        sheet: r.sheet,
        row: r.row,
        cells: o.cells,
      };
    }),
  };
  files['manifest.json'] = enc.encode(JSON.stringify(manifest, null, 2));
  return { name: bundleName(mismatches, options.case), zip: zipSync(files, { level: 6 }) };
}

/** The involved rows of one original file, with their row numbers, as CSV. */
function relevantRows(originals: Original[]): Uint8Array {
  const width = Math.max(0, ...originals.map((o) => o.cells.length));
  return writeCsvBytes({
    sheet: '',
    headers: ['工作表', '行号', ...Array.from({ length: width }, (_, i) => `第${i + 1}列`)],
    rows: originals.map((o) => [
      { text: o.record.sheet },
      { num: o.record.row },
      ...o.cells.map((c) => ({ text: c })),
    ]),
  });
}

export interface VerifyResult {
  ok: boolean;
  changed: string[];
  missing: string[];
  unlisted: string[];
}

/** Recomputes every hash the manifest lists; names each file that changed, is gone or was added. */
export function verifyBundle(zip: Uint8Array): VerifyResult {
  const files = unzipSync(zip);
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes) return { ok: false, changed: [], missing: ['manifest.json'], unlisted: [] };
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as {
    files: Array<{ path: string; sha256: string; size: number }>;
  };
  const listed = new Set(manifest.files.map((f) => f.path));
  const changed: string[] = [];
  const missing: string[] = [];
  for (const f of manifest.files) {
    const bytes = files[f.path];
    if (!bytes) missing.push(f.path);
    else if (bytes.byteLength !== f.size || sha256(bytes) !== f.sha256) changed.push(f.path);
  }
  const unlisted = Object.keys(files).filter(
    (p) => p !== 'manifest.json' && !listed.has(p) && !p.endsWith('/'),
  );
  return { ok: changed.length + missing.length + unlisted.length === 0, changed, missing, unlisted };
}
