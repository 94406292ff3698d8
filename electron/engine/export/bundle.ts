import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { MISMATCH_LABELS } from '../../../shared/mismatches';
import { SOURCE_LABELS } from '../../../shared/records';
import type { StoredMismatch } from '../reconcile/cases';
import { yuan } from '../reconcile/explain';
import type { ReconRecord } from '../reconcile/types';
import type { Db } from '../store/database';
import { cellsOfRow } from '../store/record-columns';
import { localNow } from '../time';
import { type ExportTable, writeXlsxBytes } from './table';

// An evidence bundle (证据包): everything an acquirer's customer service or a bank asks for about a
// mismatch, in one zip whose manifest lets anyone check later that nothing was changed.

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface BundleOptions {
  generatedBy: string;
  appVersion: string;
  lang: 'zh' | 'en';
}

/** A file name Windows, macOS and Linux all accept. */
export function safeFileName(name: string): string {
  return (
    name
      .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_')
      .replace(/[. ]+$/, '')
      .slice(0, 150) || 'bundle'
  );
}

export function bundleName(mismatches: StoredMismatch[]): string {
  const first = mismatches[0]!;
  const r = first.records[0];
  const parts = [
    MISMATCH_LABELS[first.kind].zh,
    r?.terminalNo ? `终端${r.terminalNo}` : null,
    r?.txnTime ? r.txnTime.slice(0, 10).replaceAll('-', '') : null,
    r?.rrn ? `参考号${r.rrn}` : null,
    mismatches.length > 1 ? `等${mismatches.length}项` : null,
  ];
  return safeFileName(`${parts.filter(Boolean).join('_')}.zip`);
}

interface Original {
  recordId: number;
  fileName: string;
  storedName: string;
  sha256: string;
  size: number;
  cells: string[];
}

function originalsOf(db: Db, records: ReconRecord[]): Original[] {
  const stmt = db.prepare(
    `SELECT r.raw, i.file_name, f.stored_name, f.sha256, f.size FROM records r
     JOIN imports i ON i.id = r.import_id JOIN files f ON f.sha256 = i.file_sha256 WHERE r.id = ?`,
  );
  return records.map((r) => {
    const row = stmt.get(r.id) as {
      raw: Uint8Array;
      file_name: string;
      stored_name: string;
      sha256: string;
      size: number;
    };
    return {
      recordId: r.id,
      fileName: row.file_name,
      storedName: row.stored_name,
      sha256: row.sha256,
      size: row.size,
      cells: cellsOfRow(row),
    };
  });
}

/** Builds the zip for one or more mismatches (a case). */
export function buildBundle(
  db: Db,
  fileStore: string,
  mismatches: StoredMismatch[],
  options: BundleOptions,
): { name: string; zip: Uint8Array } {
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
        { text: TXN_STATUS_ZH[r.status] },
      ]),
    ),
  };
  const width = Math.max(0, ...originals.map((o) => o.cells.length));
  const originalRows: ExportTable = {
    sheet: '原始行',
    headers: ['文件', '工作表', '行号', ...Array.from({ length: width }, (_, i) => `第${i + 1}列`)],
    rows: originals.map((o) => {
      const r = records.find((x) => x.id === o.recordId)!;
      return [{ text: o.fileName }, { text: r.sheet }, { num: r.row }, ...o.cells.map((c) => ({ text: c }))];
    }),
  };
  files['交易明细.xlsx'] = writeXlsxBytes([sideBySide, originalRows]);

  const seen = new Set<string>();
  for (const o of originals) {
    if (seen.has(o.sha256)) continue;
    seen.add(o.sha256);
    let name = `原始文件/${safeFileName(o.fileName)}`;
    if (files[name]) name = `原始文件/${o.sha256.slice(0, 8)}_${safeFileName(o.fileName)}`;
    files[name] = readFileSync(join(fileStore, o.storedName));
  }
  files['申诉报告.html'] = enc.encode(reportHtml(mismatches, options));

  const generatedAt = localNow();
  const manifest = {
    app: 'PosRecon',
    appVersion: options.appVersion,
    generatedAt,
    generatedBy: options.generatedBy,
    mismatchIds: mismatches.map((m) => m.id),
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
      const r = records.find((x) => x.id === o.recordId)!;
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
  return { name: bundleName(mismatches), zip: zipSync(files, { level: 6 }) };
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

const TXN_STATUS_ZH = {
  success: '成功',
  failed: '失败',
  timeout: '超时',
  pending: '处理中',
  unknown: '未知',
} as const;
const STATUS_ZH: Record<string, string> = {
  open: '待处理',
  investigating: '处理中',
  disputed: '已申诉',
  resolved: '已解决',
  dismissed: '已忽略',
  closed: '已自动关闭',
};

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The complaint letter and the facts, as a self-contained page to print or send. */
function reportHtml(mismatches: StoredMismatch[], options: BundleOptions): string {
  const first = mismatches[0]!.records[0];
  const merchant = first?.merchantNo ?? '';
  const body = mismatches
    .map((m) => {
      const rows = m.records
        .map(
          (r) =>
            `<tr><td>${SOURCE_LABELS[r.source].zh}</td><td>${esc(r.txnTime ?? '')}</td><td>${esc(r.terminalNo ?? '')}</td><td>${esc(r.cardLast4 ?? '')}</td><td class="n">${r.amountFen === null ? '' : esc(yuan(r.amountFen))}</td><td>${esc(r.batch ?? '')}</td><td>${esc(r.trace ?? '')}</td><td>${esc(r.rrn ?? '')}</td><td>${esc(r.authCode ?? '')}</td><td>${esc(`${r.file}${r.sheet ? ` [${r.sheet}]` : ''} 第 ${r.row} 行`)}</td></tr>`,
        )
        .join('');
      return `<section><h2>${esc(MISMATCH_LABELS[m.kind].zh)}（${esc(m.id)}）</h2>
<p>${esc(m.explanation.zh)}</p>
<p>应为 ${m.expectedFen === null ? '—' : esc(yuan(m.expectedFen))}，实际 ${m.actualFen === null ? '—' : esc(yuan(m.actualFen))}，差额 ${m.differenceFen === null ? '—' : esc(yuan(m.differenceFen))}。状态：${esc(STATUS_ZH[m.status] ?? m.status)}${m.note ? `；备注：${esc(m.note)}` : ''}</p>
<table><tr><th>来源</th><th>交易时间</th><th>终端号</th><th>卡号后四位</th><th>金额</th><th>批次号</th><th>凭证号</th><th>参考号</th><th>授权码</th><th>原始记录</th></tr>${rows}</table></section>`;
    })
    .join('\n');
  const total = mismatches.reduce((s, m) => s + Math.abs(m.differenceFen ?? 0), 0);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>申诉报告</title>
<style>@page{size:A4;margin:18mm}body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;font-size:11pt;color:#111}
table{border-collapse:collapse;width:100%;font-size:8pt}td,th{border:1px solid #999;padding:3px 4px;text-align:left;white-space:nowrap}td:last-child{white-space:normal}.n{text-align:right}h1{font-size:16pt}h2{font-size:12pt}</style></head>
<body><h1>交易差异申诉报告</h1>
<p>商户号：${esc(merchant)}　生成时间：${esc(localNow())}　生成人：${esc(options.generatedBy)}</p>
${body}
<h2>申诉请求</h2>
<p>上述交易经我方核对终端记录、清算明细及银行流水，存在以上差异，涉及金额合计 ${esc(yuan(total))}。请贵方于收到本函后 7 个工作日内核实，并将差额退还至我方结算账户，或书面说明原因。所附原始文件及其 SHA-256 校验值见 manifest.json。</p>
</body></html>`;
}
