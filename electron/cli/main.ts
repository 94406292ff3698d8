import { readFileSync, writeFileSync } from 'node:fs';
import type { MismatchKind } from '../../shared/mismatches';
import { MISMATCH_KINDS, MISMATCH_LABELS } from '../../shared/mismatches';
import { yuan } from '../../shared/money';
import { SOURCE_LABELS, SOURCES, type Source } from '../../shared/records';
import { CASE_STATUSES, type CaseStatus } from '../../shared/statuses';
import { buildBundle, verifyBundle } from '../engine/export/bundle';
import { writeCsv, writeXlsx } from '../engine/export/table';
import type { UserMapping } from '../engine/import/detect';
import { type ImportOutcome, importFiles } from '../engine/import/import-file';
import { parseMapping } from '../engine/import/mapping';
import { presetById } from '../engine/import/presets';
import { FileReadError } from '../engine/import/readers/types';
import {
  counterpartOf,
  ensureReconciled,
  linkablePair,
  listMismatches,
  mismatchesInOrder,
  type ReconcileStage,
  type RunSummary,
  reconcileStored,
  runReconcile,
  saveReconcile,
  setManualLink,
} from '../engine/reconcile/cases';
import { describe } from '../engine/reconcile/explain';
import { mismatchJson, mismatchTable, recordJson } from '../engine/reconcile/report';
import { answerSearch, type SearchQuery } from '../engine/reconcile/search';
import { caseById } from '../engine/reconcile/workflow';
import {
  DatabaseRefusedError,
  type Db,
  openDatabase,
  openDatabaseCheckingMeanwhile,
} from '../engine/store/database';
import { listImports, listRejects, UnknownImportError, undoImport } from '../engine/store/imports';
import { fileStoreDir, resolveDbPath } from '../engine/store/paths';
import { findUserPreset, listLayouts, saveUserPreset } from '../engine/store/user-presets';
import { APP_VERSION } from '../engine/version';
import { parse, type Values } from './args';
import { runBackup, runRestore } from './backup-commands';
import { runAttach, runCase, runHistory, runNote, runStatus, userName } from './case-commands';
import { EXIT, type Lang, padDisplay, pickLang, progressLine } from './output';
import { runBankRec, runCloseDay, runCloseReport } from './report-commands';
import { runCalendar, runFees } from './settings-commands';
import { amountArg, UsageError } from './usage';

const USAGE = `PosRecon — POS 收单对账 / POS payment reconciliation

usage:
  posrecon import FILE... [--as terminal|settlement|statement] [--preset ID] [--mapping FILE.json]
                          [--save-preset NAME] [--encoding E] [--db FILE] [--json]
  posrecon imports [--db FILE] [--json]            list imports with their row counts
  posrecon rejects IMPORT_ID [--db FILE] [--json]  every rejected row of an import
  posrecon undo-import IMPORT_ID [--db FILE] [--json]
  posrecon presets [--db FILE] [--json]            built-in and saved layouts
  posrecon reconcile [--db FILE] [--json]          match everything; counts and money per mismatch kind
  posrecon mismatches [--kind K] [--status S] [--db FILE] [--json | --csv FILE [--encoding gbk] | --xlsx FILE]
  posrecon status MISMATCH_ID open|investigating [--note TEXT] [--user NAME]
  posrecon status MISMATCH_ID disputed --ticket NO [--ticket-date D]    filed with the acquirer or bank
  posrecon status MISMATCH_ID resolved --recovered 58.00 | dismissed --reason TEXT
  posrecon note MISMATCH_ID TEXT    /    posrecon attach MISMATCH_ID FILE...    /    posrecon history MISMATCH_ID
  posrecon case create MISMATCH_ID... [--title TEXT]    /    posrecon case list
  posrecon match TERMINAL_RECORD_ID SETTLEMENT_RECORD_ID   /   posrecon unmatch RECORD_ID
  posrecon bundle MISMATCH_ID... | --case ID  --out FILE.zip [--rows-only] [--lang en]
                                                   evidence bundle for the acquirer or the bank
  posrecon verify-bundle FILE.zip                   recompute every hash; names any file that changed
  posrecon close-report --from DATE [--to DATE] --out FILE.xlsx   日结报表 (close report), printable
  posrecon close-day DATE [--user NAME]       日结: refused while a mismatch of that day is undecided
  posrecon bank-rec --from DATE --to DATE --out FILE.xlsx         余额调节表 (bank reconciliation)
  posrecon backup [--out DIR]                 copy the database now (SQLite backup API); 14 kept
  posrecon restore BACKUP_FILE                checked first; the replaced database is kept beside it
  posrecon serve [--port N] [--db FILE]       the app's screens in a browser, on 127.0.0.1 only;
                                              prints the address to open (with its token) first
  posrecon fees show [--json]
  posrecon fees set --card debit|credit|quasi_credit|prepaid|qr --rate 0.55% [--cap 20] [--fixed 0]
                    [--merchant NO] [--from YYYY-MM-DD]
  posrecon calendar show [--year 2026] [--json]
  posrecon calendar set [--holiday DATE]... [--workday DATE]... [--remove DATE]...
                       [--d0 MERCHANT]... [--t1 MERCHANT]...    same-day (D0) or T+1 settlement
  posrecon search [--card LAST4] [--amount 58.00 | --min A --max B] [--from T] [--to T]
                  [--rrn R] [--trace T] [--batch B] [--terminal T] [--db FILE] [--json]

options:
  --db FILE     database file (default: POSRECON_DB, else the app's data folder)
  --lang zh|en  language of messages (default: system locale)
  --json        machine-readable output on stdout

exit codes: 0 ok, 1 imported with rejected rows (or a bundle that fails verification),
            2 usage error, 3 a file was not imported, 4 database refused or unusable`;

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { command, positionals, values } = parsed;
  const lang = pickLang(values.lang);
  if (!command || values.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  if (command === 'verify-bundle') return runVerifyBundle(positionals, lang);
  const dbPath = resolveDbPath(values.db);
  if (command === 'restore') return runRestore(dbPath, positionals, lang);
  let db: Db;
  // Reconciling reads every record before it writes: the integrity check runs meanwhile.
  let verify = () => Promise.resolve();
  try {
    if (command === 'reconcile') ({ db, verify } = openDatabaseCheckingMeanwhile(dbPath));
    else db = openDatabase(dbPath);
  } catch (err) {
    if (err instanceof DatabaseRefusedError) {
      process.stderr.write(`${err[lang]}\n`);
      return EXIT.database;
    }
    throw err;
  }
  try {
    switch (command) {
      case 'import':
        return await runImport(db, dbPath, positionals, values, lang);
      case 'imports':
        return runImports(db, values.json === true, lang);
      case 'rejects':
        return runRejects(db, importIdArg(positionals), values.json === true, lang);
      case 'undo-import':
        return runUndo(db, dbPath, importIdArg(positionals), values.json === true, lang);
      case 'presets':
        return runPresets(db, values.json === true, lang);
      case 'reconcile':
        return await runReconcileCommand(db, verify, values.json === true, lang);
      case 'mismatches':
        return runMismatches(db, values, lang);
      case 'status':
        return runStatus(db, positionals, values, lang);
      case 'note':
        return runNote(db, positionals, values, lang);
      case 'attach':
        return runAttach(db, dbPath, positionals, values, lang);
      case 'history':
        return runHistory(db, positionals, values, lang);
      case 'case':
        return runCase(db, positionals, values, lang);
      case 'close-report':
        return runCloseReport(db, values, lang);
      case 'close-day':
        return runCloseDay(db, positionals, values, lang);
      case 'bank-rec':
        return runBankRec(db, values, lang);
      case 'backup':
        return await runBackup(db, dbPath, values, lang);
      case 'serve': {
        // Loaded here: the API's request schemas (zod) took a third of every other command's start.
        const { runServe } = await import('./serve-command');
        return await runServe(db, dbPath, values, lang);
      }
      case 'match':
      case 'unmatch':
        return runManualLink(db, command, positionals, lang);
      case 'fees':
        return runFees(db, positionals, values, lang);
      case 'bundle':
        return await runBundle(db, dbPath, positionals, values, lang);
      case 'calendar':
        return runCalendar(db, positionals, values, lang);
      case 'search':
        return runSearch(db, values, lang);
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (err instanceof FileReadError) {
      process.stderr.write(`${err[lang]}\n`);
      return EXIT.usage;
    }
    if (err instanceof DatabaseRefusedError) {
      process.stderr.write(`${err[lang]}\n`);
      return EXIT.database;
    }
    if (err instanceof UnknownImportError) {
      process.stderr.write(lang === 'zh' ? `没有编号为 ${err.importId} 的导入。\n` : `${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  } finally {
    db.close();
  }
}

function importIdArg(positionals: string[]): number {
  const id = Number(positionals[0]);
  if (positionals.length !== 1 || !Number.isInteger(id) || id < 1)
    throw new UsageError('expected one import id');
  return id;
}

async function runImport(
  db: Db,
  dbPath: string,
  files: string[],
  values: Values,
  lang: Lang,
): Promise<number> {
  if (files.length === 0) throw new UsageError('import: no files given');
  const source = values.as;
  if (source !== undefined && !(SOURCES as readonly string[]).includes(source)) {
    throw new UsageError(`--as must be one of ${SOURCES.join(', ')}`);
  }
  let mapping: UserMapping | undefined;
  let presetId = values.preset;
  if (values.mapping) mapping = parseMapping(readFileSync(values.mapping, 'utf8'), values.mapping);
  if (presetId && !presetById(presetId)) {
    const saved = findUserPreset(db, presetId);
    if (!saved) throw new UsageError(`unknown preset: ${presetId} (see: posrecon presets)`);
    mapping = saved.mapping;
    presetId = undefined;
  }
  if (values['save-preset']) {
    if (!mapping) throw new UsageError('--save-preset needs --mapping');
    mapping = saveUserPreset(db, values['save-preset'], mapping).mapping;
  }

  const progress = progressLine(process.stderr);
  const outcomes: ImportOutcome[] = [];
  const requests = files.map((path) => ({
    path,
    ...(source ? { source: source as Source } : {}),
    ...(presetId ? { presetId } : {}),
    ...(mapping ? { mapping } : {}),
    ...(values.encoding ? { encoding: values.encoding } : {}),
  }));
  let started = Date.now();
  for await (const outcome of importFiles(db, fileStoreDir(dbPath), requests, (_, p) => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(p.rowsRead / secs) : 0;
    progress.update(
      lang === 'zh'
        ? `导入 ${p.fileName}：${p.rowsRead.toLocaleString()} 行（${rate.toLocaleString()} 行/秒）`
        : `importing ${p.fileName}: ${p.rowsRead.toLocaleString()} rows (${rate.toLocaleString()} rows/s)`,
    );
  })) {
    progress.done();
    outcomes.push(outcome);
    if (!values.json) process.stdout.write(`${describeOutcome(outcome, lang)}\n`);
    started = Date.now();
  }
  if (values.json) process.stdout.write(`${JSON.stringify(outcomes.map(outcomeJson), null, 2)}\n`);
  if (outcomes.some((o) => !o.ok)) return EXIT.fileFailed;
  if (outcomes.some((o) => o.ok && o.result.rejected > 0)) return EXIT.rowsRejected;
  return EXIT.ok;
}

function outcomeJson(o: ImportOutcome) {
  if (!o.ok) return { file: o.fileName, ok: false, error: o.error };
  const { layout, result } = o;
  return {
    file: o.fileName,
    ok: true,
    importId: result.importId,
    source: layout.source,
    preset: layout.preset?.id ?? null,
    presetName: layout.preset?.name ?? null,
    format: layout.format,
    encoding: layout.encoding,
    sheet: layout.sheet,
    headerRow: layout.headerRow,
    columns: layout.columns,
    rowsRead: result.rowsRead,
    stored: result.stored,
    overlap: result.overlap,
    footer: result.footer,
    rejected: result.rejected,
    rejects: result.rejects,
    flagged: result.flagged,
    flaggedRows: result.flaggedRows,
  };
}

function describeOutcome(o: ImportOutcome, lang: Lang): string {
  if (!o.ok) return `✗ ${o.error[lang]}`;
  const { layout, result } = o;
  const preset = layout.preset
    ? layout.preset.name[lang]
    : lang === 'zh'
      ? '通用/自定义映射'
      : 'generic/custom mapping';
  const where = [
    layout.encoding ? `${lang === 'zh' ? '编码' : 'encoding'} ${layout.encoding}` : null,
    layout.sheet ? `${lang === 'zh' ? '工作表' : 'sheet'} "${layout.sheet}"` : null,
    `${lang === 'zh' ? '表头在第' : 'header at row'} ${layout.headerRow}${lang === 'zh' ? ' 行' : ''}`,
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    lang === 'zh'
      ? `✓ ${o.fileName} → 导入 #${result.importId}：${SOURCE_LABELS[layout.source].zh}，${preset}（${where}）`
      : `✓ ${o.fileName} → import #${result.importId}: ${SOURCE_LABELS[layout.source].en}, ${preset} (${where})`,
    lang === 'zh'
      ? `  读取 ${result.rowsRead} 行：入库 ${result.stored}，与已导入文件重叠 ${result.overlap}，合计/说明行 ${result.footer}，拒收 ${result.rejected}`
      : `  ${result.rowsRead} rows read: ${result.stored} stored, ${result.overlap} already imported from an overlapping file, ${result.footer} footer, ${result.rejected} rejected`,
  ];
  for (const r of result.rejects.slice(0, 20)) lines.push(`  ! ${lang === 'zh' ? r.reasonZh : r.reasonEn}`);
  if (result.flagged > 0) {
    const rows = result.flaggedRows
      .slice(0, 10)
      .map((f) => f.row)
      .join(', ');
    lines.push(
      lang === 'zh'
        ? `  ! ${result.flagged} 行的参考号/凭证号/订单号/卡号在 Excel 中已被截断成科学计数法（第 ${rows}${result.flagged > 10 ? ' …' : ''} 行），已入库并标记；请与收单机构后台核对原始号码。`
        : `  ! ${result.flagged} rows have an RRN, trace, order or card number that Excel had already cut short into scientific notation (rows ${rows}${result.flagged > 10 ? ' …' : ''}); they are stored and flagged: check the numbers against the acquirer's portal.`,
    );
  }
  if (result.rejected > 20) {
    lines.push(
      lang === 'zh'
        ? `  …另有 ${result.rejected - 20} 行被拒收：posrecon rejects ${result.importId}`
        : `  …${result.rejected - 20} more rejected rows: posrecon rejects ${result.importId}`,
    );
  }
  return lines.join('\n');
}

function runImports(db: Db, json: boolean, lang: Lang): number {
  const rows = listImports(db);
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    process.stdout.write(lang === 'zh' ? '还没有导入任何文件。\n' : 'No imports yet.\n');
    return EXIT.ok;
  }
  for (const r of rows) {
    process.stdout.write(
      lang === 'zh'
        ? `#${r.id}  ${r.importedAt}  ${SOURCE_LABELS[r.source].zh}  ${r.fileName}  ${r.presetName ?? '自定义'}  记录 ${r.records}（读取 ${r.rowsRead}，重叠 ${r.overlap}，拒收 ${r.rejected}）\n`
        : `#${r.id}  ${r.importedAt}  ${SOURCE_LABELS[r.source].en}  ${r.fileName}  ${r.presetId ?? 'custom'}  ${r.records} records (${r.rowsRead} read, ${r.overlap} overlap, ${r.rejected} rejected)\n`,
    );
  }
  return EXIT.ok;
}

function runRejects(db: Db, importId: number, json: boolean, lang: Lang): number {
  if (!listImports(db).some((i) => i.id === importId)) throw new UnknownImportError(importId);
  const rows = listRejects(db, importId);
  if (json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else for (const r of rows) process.stdout.write(`${lang === 'zh' ? r.reasonZh : r.reasonEn}\n`);
  return EXIT.ok;
}

function runUndo(db: Db, dbPath: string, importId: number, json: boolean, lang: Lang): number {
  const { removed, handedOver } = undoImport(db, fileStoreDir(dbPath), importId);
  if (json) process.stdout.write(`${JSON.stringify({ importId, removed, handedOver })}\n`);
  else {
    process.stdout.write(
      lang === 'zh'
        ? `已撤销导入 #${importId}：删除 ${removed} 条记录${handedOver ? `，${handedOver} 条同时存在于其他导入中，已转归该导入` : ''}。\n`
        : `Import #${importId} undone: ${removed} records removed${handedOver ? `, ${handedOver} also present in a later import were handed over to it` : ''}.\n`,
    );
  }
  return EXIT.ok;
}

function runPresets(db: Db, json: boolean, lang: Lang): number {
  const all = listLayouts(db).map(({ saved, ...p }) => ({ ...p, builtIn: !saved }));
  if (json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
  else {
    for (const p of all) {
      process.stdout.write(
        `${padDisplay(p.id, 22)} ${padDisplay(SOURCE_LABELS[p.source][lang], 16)} ${p.name[lang]}${p.builtIn ? '' : lang === 'zh' ? '（已保存的映射）' : ' (saved mapping)'}\n`,
      );
    }
  }
  return EXIT.ok;
}

/** Reports reconcile stages on a terminal: a million records take a while. */
function stageReporter(lang: Lang) {
  const progress = progressLine(process.stderr);
  const words = {
    loading: { zh: '读取记录…', en: 'loading records…' },
    matching: { zh: '匹配', en: 'matching' },
    saving: { zh: '保存差异', en: 'saving mismatches for' },
  } as const;
  return {
    onStage: (stage: ReconcileStage, records?: number) =>
      progress.update(
        `${words[stage][lang]}${records === undefined ? '' : ` ${records.toLocaleString()} ${lang === 'zh' ? '条记录' : 'records'}`}`,
        true,
      ),
    done: () => progress.done(),
  };
}

function reconcileShowingProgress(db: Db, lang: Lang) {
  const stages = stageReporter(lang);
  const result = runReconcile(db, stages.onStage);
  stages.done();
  return result;
}

/** Reconciles first only if imports, manual links or settings changed since the last run. */
function ensureReconciledShowingProgress(db: Db, lang: Lang): void {
  const stages = stageReporter(lang);
  ensureReconciled(db, stages.onStage);
  stages.done();
}

async function runReconcileCommand(
  db: Db,
  verify: () => Promise<void>,
  json: boolean,
  lang: Lang,
): Promise<number> {
  const stages = stageReporter(lang);
  let result: RunSummary;
  try {
    // The check starts once the records are read: the reading has both cores, the check takes the
    // one the matching leaves.
    const reconciled = reconcileStored(db, (stage, records) => {
      if (stage === 'matching') void verify();
      stages.onStage(stage, records);
    });
    await verify();
    result = saveReconcile(db, reconciled, stages.onStage);
  } catch (err) {
    // Whatever went wrong while the check ran, a damaged database is the answer to give.
    await verify();
    throw err;
  } finally {
    stages.done();
  }
  if (json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          matched: result.matched,
          pending: result.pending.length,
          opened: result.opened,
          closed: result.closed,
          mismatches: result.summary,
        },
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  process.stdout.write(
    lang === 'zh'
      ? `已匹配 ${result.matched} 笔，待清算 ${result.pending.length} 笔，差异 ${result.mismatches.length} 项（新增 ${result.opened}，自动关闭 ${result.closed}）：\n`
      : `${result.matched} matched, ${result.pending.length} pending, ${result.mismatches.length} mismatches (${result.opened} new, ${result.closed} closed automatically):\n`,
  );
  for (const kind of MISMATCH_KINDS) {
    const { count, differenceFen } = result.summary[kind];
    if (count === 0) continue;
    process.stdout.write(
      `  ${padDisplay(MISMATCH_LABELS[kind][lang], 28)} ${String(count).padStart(6)}  ${yuan(differenceFen)}\n`,
    );
  }
  return EXIT.ok;
}

function runMismatches(db: Db, values: Values, lang: Lang): number {
  const { kind, status } = values;
  if (kind !== undefined && !(MISMATCH_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be one of ${MISMATCH_KINDS.join(', ')}`);
  }
  if (status !== undefined && !(CASE_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status must be one of ${CASE_STATUSES.join(', ')}`);
  }
  // The list always reflects everything imported so far.
  ensureReconciledShowingProgress(db, lang);
  const list = listMismatches(db, {
    ...(kind ? { kind: kind as MismatchKind } : {}),
    ...(status ? { status: status as CaseStatus } : {}),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list.map(mismatchJson), null, 2)}\n`);
    return EXIT.ok;
  }
  if (values.csv || values.xlsx) {
    const table = mismatchTable(list, lang);
    if (values.csv) writeCsv(values.csv, table, values.encoding?.toLowerCase() === 'gbk' ? 'gbk' : 'utf-8');
    if (values.xlsx) writeXlsx(values.xlsx, [table]);
    process.stdout.write(
      lang === 'zh'
        ? `已导出 ${list.length} 项差异：${[values.csv, values.xlsx].filter(Boolean).join('，')}\n`
        : `Exported ${list.length} mismatches: ${[values.csv, values.xlsx].filter(Boolean).join(', ')}\n`,
    );
    return EXIT.ok;
  }
  for (const m of list) {
    process.stdout.write(
      `${m.id}  ${MISMATCH_LABELS[m.kind][lang]}${m.subkind ? ` (${m.subkind})` : ''}  [${m.status}]\n  ${m.explanation[lang]}\n`,
    );
    if (m.closedReason) process.stdout.write(`  ${m.closedReason[lang]}\n`);
    if (m.note) process.stdout.write(`  ${lang === 'zh' ? '备注' : 'note'}: ${m.note}\n`);
    for (const r of m.records) {
      process.stdout.write(
        `    #${r.id} ${padDisplay(SOURCE_LABELS[r.source][lang], 16)} ${r.file}${r.sheet ? ` [${r.sheet}]` : ''} ${lang === 'zh' ? '第' : 'row'} ${r.row}${lang === 'zh' ? ' 行' : ''}\n`,
      );
    }
  }
  return EXIT.ok;
}

function runManualLink(db: Db, command: 'match' | 'unmatch', positionals: string[], lang: Lang): number {
  const ids = positionals.map(Number);
  if (ids.some((n) => !Number.isInteger(n)) || ids.length !== (command === 'match' ? 2 : 1)) {
    throw new UsageError(
      command === 'match' ? 'match: give a terminal and a settlement record id' : 'unmatch: give a record id',
    );
  }
  const [first, second] = ids as [number, number];
  let pair: ReturnType<typeof linkablePair>;
  if (command === 'match') pair = linkablePair(db, first, second);
  else {
    // Unmatch the record from whatever it is matched with now, whichever side it is on.
    ensureReconciledShowingProgress(db, lang);
    const partner = counterpartOf(db, first);
    pair =
      partner === undefined ? null : (linkablePair(db, first, partner) ?? linkablePair(db, partner, first));
  }
  if (!pair) {
    process.stderr.write(
      lang === 'zh'
        ? '需要一条终端记录和一条清算记录（取消匹配时：一条当前已匹配的记录）。\n'
        : 'Needs one terminal and one settlement record (for unmatch: a record that is matched now).\n',
    );
    return EXIT.usage;
  }
  const { terminal, settlement } = pair;
  setManualLink(db, terminal, settlement, command);
  const run = reconcileShowingProgress(db, lang);
  process.stdout.write(
    lang === 'zh'
      ? `已${command === 'match' ? '手工匹配' : '取消匹配'} #${terminal.id} 与 #${settlement.id}；重新对账后差异 ${run.mismatches.length} 项。\n`
      : `${command === 'match' ? 'Matched' : 'Unmatched'} #${terminal.id} and #${settlement.id} by hand; ${run.mismatches.length} mismatches after reconciling again.\n`,
  );
  return EXIT.ok;
}

function runSearch(db: Db, values: Values, lang: Lang): number {
  const optionalAmount = (name: string, text: string | undefined) =>
    text === undefined ? undefined : amountArg(name, text, 'allowed');
  const exact = optionalAmount('amount', values.amount);
  const query: SearchQuery = {
    ...(values.rrn ? { rrn: values.rrn } : {}),
    ...(values.trace ? { trace: values.trace.padStart(6, '0') } : {}),
    ...(values.batch ? { batch: values.batch.padStart(6, '0') } : {}),
    ...(values.card ? { cardLast4: values.card } : {}),
    ...(values.terminal ? { terminalNo: values.terminal } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
  };
  const min = exact ?? optionalAmount('min', values.min);
  const max = exact ?? optionalAmount('max', values.max);
  if (min !== undefined) query.minFen = min;
  if (max !== undefined) query.maxFen = max;
  if (Object.keys(query).length === 0) throw new UsageError('search: give at least one criterion');

  ensureReconciledShowingProgress(db, lang);
  const results = answerSearch(db, query);
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        results.map((x) => ({
          record: recordJson(x.record),
          matchedWith: x.matchedWith ? recordJson(x.matchedWith) : null,
          mismatches: x.mismatches.map((m) => ({
            id: m.id,
            kind: m.kind,
            subkind: m.subkind,
            explanation: m.explanation,
          })),
        })),
        null,
        2,
      )}\n`,
    );
    return EXIT.ok;
  }
  if (results.length === 0) {
    process.stdout.write(lang === 'zh' ? '没有找到符合条件的交易。\n' : 'No transaction matches.\n');
    return EXIT.ok;
  }
  for (const { record, matchedWith, mismatches } of results) {
    const where = (r: typeof record) =>
      `${SOURCE_LABELS[r.source][lang]} ${r.file}${r.sheet ? ` [${r.sheet}]` : ''} ${lang === 'zh' ? `第 ${r.row} 行` : `row ${r.row}`}`;
    process.stdout.write(`• ${describe(record, lang)}\n  ${where(record)}\n`);
    process.stdout.write(
      matchedWith
        ? `  ↔ ${where(matchedWith)}${lang === 'zh' ? '：' : ': '}${describe(matchedWith, lang)}\n`
        : `  ↔ ${lang === 'zh' ? '另一方没有对应记录' : 'no counterpart on the other side'}\n`,
    );
    for (const m of mismatches)
      process.stdout.write(`  ! ${MISMATCH_LABELS[m.kind][lang]}: ${m.explanation[lang]}\n`);
  }
  return EXIT.ok;
}

async function runBundle(db: Db, dbPath: string, ids: string[], values: Values, lang: Lang): Promise<number> {
  const out = values.out;
  const caseId = values.case === undefined ? undefined : Number(values.case);
  if ((ids.length === 0 && caseId === undefined) || !out) {
    throw new UsageError('bundle: give mismatch ids (or --case ID) and --out FILE.zip');
  }
  if (caseId !== undefined && !Number.isInteger(caseId))
    throw new UsageError(`--case: not a case id: ${values.case}`);
  const theCase = caseId === undefined ? undefined : caseById(db, caseId);
  if (caseId !== undefined && !theCase) {
    process.stderr.write(lang === 'zh' ? `没有编号为 ${caseId} 的案件。\n` : `There is no case ${caseId}.\n`);
    return EXIT.usage;
  }
  ensureReconciledShowingProgress(db, lang);
  // The order the user gave (a case's own order first) decides the bundle's name and report order.
  const { found: chosen, unknown } = mismatchesInOrder(db, [...(theCase?.mismatchIds ?? []), ...ids]);
  if (unknown.length > 0) {
    process.stderr.write(
      lang === 'zh' ? `没有这些差异：${unknown.join('，')}\n` : `No such mismatch: ${unknown.join(', ')}\n`,
    );
    return EXIT.usage;
  }
  const bundle = await buildBundle(db, fileStoreDir(dbPath), chosen, {
    generatedBy: userName(values),
    appVersion: APP_VERSION,
    lang,
    case: theCase,
    rowsOnly: values['rows-only'] === true,
  });
  writeFileSync(out, bundle.zip);
  process.stdout.write(
    lang === 'zh'
      ? `证据包已生成：${out}（建议文件名：${bundle.name}）\n`
      : `Evidence bundle written: ${out} (suggested name: ${bundle.name})\n`,
  );
  return EXIT.ok;
}

function runVerifyBundle(positionals: string[], lang: Lang): number {
  const [file] = positionals;
  if (!file) throw new UsageError('verify-bundle: give the bundle .zip');
  let result: ReturnType<typeof verifyBundle>;
  try {
    result = verifyBundle(readFileSync(file));
  } catch (err) {
    process.stdout.write(
      lang === 'zh'
        ? `✗ ${file}：不是可读取的证据包（${(err as Error).message}）\n`
        : `✗ ${file}: not a readable bundle (${(err as Error).message})\n`,
    );
    return EXIT.bundleAltered;
  }
  if (result.ok) {
    process.stdout.write(
      lang === 'zh' ? `✓ ${file}：所有文件与清单一致。\n` : `✓ ${file}: every file matches its manifest.\n`,
    );
    return EXIT.ok;
  }
  const lines = [
    ...result.changed.map((p) => (lang === 'zh' ? `已被修改：${p}` : `changed: ${p}`)),
    ...result.missing.map((p) => (lang === 'zh' ? `缺失：${p}` : `missing: ${p}`)),
    ...result.unlisted.map((p) => (lang === 'zh' ? `清单中没有：${p}` : `not in the manifest: ${p}`)),
  ];
  process.stdout.write(`✗ ${file}\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  return EXIT.bundleAltered;
}
