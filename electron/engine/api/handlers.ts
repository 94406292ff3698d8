import { readFileSync, statSync } from 'node:fs';
import type {
  ApiError,
  ApiMapping,
  Channel,
  Delivered,
  ImportFileOutcome,
  MismatchDetail,
  PickedFile,
  Req,
  Res,
} from '../../../shared/api';
import { MISMATCH_RULES } from '../../../shared/mismatches';
import type { Source } from '../../../shared/records';
import { buildBundle } from '../export/bundle';
import { historyText } from '../export/history-text';
import { writeCsvBytes, writeXlsxBytes } from '../export/table';
import type { UserMapping } from '../import/detect';
import { importFile } from '../import/import-file';
import { parseFile, sampleRows } from '../import/parse';
import { PRESETS } from '../import/presets';
import { FileReadError } from '../import/readers/types';
import { ensureReconciled, listMismatches, runReconcile, setManualLink } from '../reconcile/cases';
import { loadRecords } from '../reconcile/load';
import { mismatchTable } from '../reconcile/report';
import { reviewPage, toApiRecord } from '../reconcile/review';
import { answerSearch } from '../reconcile/search';
import { editSettlementCalendar, loadSettings, saveSetting, setFeeTerm } from '../reconcile/settings-store';
import {
  addAttachment,
  addNote,
  attachmentsOf,
  historyOf,
  setMismatchStatus,
  WorkflowError,
} from '../reconcile/workflow';
import { backupDir, backupNow, listBackups } from '../store/backup';
import type { Db } from '../store/database';
import { listImports, listRejects, UnknownImportError, undoImport } from '../store/imports';
import { cellsOfRow } from '../store/record-columns';
import { findUserPreset, listUserPresets, saveUserPreset } from '../store/user-presets';
import { APP_VERSION } from '../version';
import { ApiRefusal, notFound } from './errors';
import type { FileRegistry } from './files';
import { type JobHandle, Jobs } from './jobs';
import { overview } from './overview';
import { SCHEMAS } from './schemas';

/** What a transport (IPC in the desktop app, HTTP in `posrecon serve`) provides to the handlers. */
export interface EngineContext {
  db: Db;
  dbPath: string;
  fileStore: string;
  user: string;
  files: FileRegistry;
  /** The OS's open dialog (desktop app); a browser uploads instead and gets none. */
  pickFiles(): Promise<PickedFile[]>;
  /** Hands a generated file to the user: a save dialog, or a download link. */
  deliver(name: string, bytes: Uint8Array): Promise<Delivered>;
}

export type Handlers = { [C in Channel]: (req: Req<C>) => Res<C> | Promise<Res<C>> };

const PREVIEW_ROWS = 20;

function fileOf(ctx: EngineContext, fileId: string) {
  const file = ctx.files.get(fileId);
  if (!file)
    throw notFound({
      zh: '找不到这个文件，请重新选择。',
      en: 'That file is no longer known; pick it again.',
    });
  return file;
}

/** Source, preset and mapping for reading a file: a saved preset is a mapping under a name. */
function readOptions(
  ctx: EngineContext,
  req: { source?: Source; presetId?: string; mapping?: ApiMapping },
): { source?: Source; presetId?: string; mapping?: UserMapping } {
  const saved = req.presetId ? findUserPreset(ctx.db, req.presetId) : undefined;
  const mapping = req.mapping ?? saved?.mapping;
  return {
    ...(req.source ? { source: req.source } : {}),
    ...(req.presetId && !saved ? { presetId: req.presetId } : {}),
    ...(mapping ? { mapping } : {}),
  };
}

function detail(ctx: EngineContext, id: string): MismatchDetail {
  ensureReconciled(ctx.db);
  const [m] = listMismatches(ctx.db, { ids: [id] });
  if (!m) throw notFound({ zh: `没有编号为 ${id} 的差异。`, en: `There is no mismatch ${id}.` });
  const originals: MismatchDetail['originals'] = {};
  const stmt = ctx.db.prepare(
    'SELECT r.raw, i.file_sha256 AS sha256 FROM records r JOIN imports i ON i.id = r.import_id WHERE r.id = ?',
  );
  for (const r of m.records) {
    const row = stmt.get(r.id) as { raw: Uint8Array; sha256: string };
    originals[r.id] = {
      cells: cellsOfRow(row),
      file: r.file,
      sheet: r.sheet,
      row: r.row,
      sha256: row.sha256,
    };
  }
  return {
    mismatch: { ...m, records: m.records.map(toApiRecord) },
    originals,
    history: historyOf(ctx.db, id).map((h) => ({
      at: h.at,
      user: h.user,
      action: h.action,
      status: h.status,
      text: { zh: historyText(h, 'zh'), en: historyText(h, 'en') },
    })),
    attachments: attachmentsOf(ctx.db, [id]).map(({ id: aid, fileName, sha256, size, addedAt, addedBy }) => ({
      id: aid,
      fileName,
      sha256,
      size,
      addedAt,
      addedBy,
    })),
    rule: MISMATCH_RULES[m.kind],
  };
}

async function runImports(ctx: EngineContext, req: Req<'imports.start'>, job: JobHandle): Promise<void> {
  const files = req.files.map((f) => ({ ...fileOf(ctx, f.fileId), mapping: f.mapping }));
  for (const [index, file] of files.entries()) {
    job.checkCancelled();
    const started = Date.now();
    job.progress({ fileName: file.name, fileIndex: index, files: files.length, rows: 0, rowsPerSecond: 0 });
    const outcome = await importFile(
      ctx.db,
      ctx.fileStore,
      {
        path: file.path,
        ...readOptions(ctx, {
          ...(req.source ? { source: req.source } : {}),
          ...(req.presetId ? { presetId: req.presetId } : {}),
          ...(file.mapping ? { mapping: file.mapping } : {}),
        }),
      },
      (p) => {
        // Throwing here rolls the file's transaction back: a cancelled import leaves nothing.
        job.checkCancelled();
        const seconds = Math.max(0.001, (Date.now() - started) / 1000);
        job.progress({
          fileName: file.name,
          fileIndex: index,
          files: files.length,
          rows: p.rowsRead,
          rowsPerSecond: Math.round(p.rowsRead / seconds),
        });
      },
    );
    const result: ImportFileOutcome = outcome.ok
      ? {
          ok: true,
          fileName: file.name,
          importId: outcome.result.importId,
          layout: outcome.layout,
          stored: outcome.result.stored,
          rejected: outcome.result.rejected,
          overlap: outcome.result.overlap,
        }
      : { ok: false, fileName: file.name, error: outcome.error };
    job.outcome(result);
  }
  runReconcile(ctx.db);
}

export function createHandlers(ctx: EngineContext, jobs = new Jobs()): Handlers {
  const { db } = ctx;
  return {
    'app.info': () => ({
      version: APP_VERSION,
      dbPath: ctx.dbPath,
      user: ctx.user,
      records: (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n,
    }),
    'files.pick': () => ctx.pickFiles(),
    'imports.sample': (req) => {
      const file = fileOf(ctx, req.fileId);
      try {
        return sampleRows(readFileSync(file.path), file.name);
      } catch (err) {
        if (err instanceof FileReadError) throw new ApiRefusal('refused', err.zh, err.en);
        throw err;
      }
    },
    'imports.preview': (req) => {
      const file = fileOf(ctx, req.fileId);
      try {
        const parsed = parseFile(readFileSync(file.path), file.name, {
          ...readOptions(ctx, req),
          batchSize: PREVIEW_ROWS,
        });
        const first = parsed.batches().next();
        const batch = first.done ? null : first.value;
        return {
          ok: true,
          layout: parsed.layout,
          rows: (batch?.records ?? [])
            .slice(0, PREVIEW_ROWS)
            .map((r) => ({ row: r.row, cells: r.raw, record: r.record })),
          rejects: batch?.rejects ?? [],
        };
      } catch (err) {
        if (err instanceof FileReadError)
          return { ok: false, error: { code: err.code, zh: err.zh, en: err.en } };
        throw err;
      }
    },
    'imports.start': (req) => {
      for (const f of req.files) {
        fileOf(ctx, f.fileId);
        if (f.savePresetAs && f.mapping) saveUserPreset(db, f.savePresetAs, f.mapping);
      }
      return { jobId: jobs.start('import', (job) => runImports(ctx, req, job)) };
    },
    'imports.history': () => listImports(db),
    'imports.rejects': (req) => listRejects(db, req.importId),
    'imports.undo': (req) => {
      const { removed } = undoImport(db, ctx.fileStore, req.importId);
      runReconcile(db);
      return { removed };
    },
    'imports.presets': () => [
      ...PRESETS.map((p) => ({ id: p.id, name: p.name, source: p.source, saved: false })),
      ...listUserPresets(db).map((p) => ({
        id: p.id,
        name: { zh: p.name, en: p.name },
        source: p.mapping.source,
        saved: true,
      })),
    ],
    'jobs.get': (req) => {
      const job = jobs.get(req.jobId);
      if (!job) throw notFound({ zh: '没有这个任务。', en: 'No such job.' });
      return job;
    },
    'jobs.cancel': (req) => ({ cancelled: jobs.cancel(req.jobId) }),
    'reconcile.run': () => {
      const r = runReconcile(db);
      return {
        matched: r.matched,
        pending: r.pending.length,
        mismatches: r.mismatches.length,
        opened: r.opened,
        closed: r.closed,
      };
    },
    'overview.get': (req) => {
      ensureReconciled(db);
      return overview(db, req.from, req.to);
    },
    'review.page': (req) => {
      ensureReconciled(db);
      return reviewPage(db, req);
    },
    'mismatches.get': (req) => detail(ctx, req.id),
    'cases.setStatus': ({ id, ...change }) => {
      setMismatchStatus(db, id, { ...change, user: ctx.user });
      return detail(ctx, id);
    },
    'cases.addNote': (req) => {
      addNote(db, req.id, req.note, ctx.user);
      return detail(ctx, req.id);
    },
    'cases.attach': (req) => {
      const file = fileOf(ctx, req.fileId);
      addAttachment(db, ctx.fileStore, req.id, file.path, ctx.user, file.name);
      return detail(ctx, req.id);
    },
    'cases.link': (req) => {
      const records = loadRecords(db, {
        sql: 'r.id IN (:t, :s)',
        params: { t: req.terminalId, s: req.settlementId },
      });
      const terminal = records.find((r) => r.id === req.terminalId && r.source === 'terminal');
      const settlement = records.find((r) => r.id === req.settlementId && r.source === 'settlement');
      if (!terminal || !settlement) {
        throw new ApiRefusal(
          'refused',
          '需要一条终端记录和一条清算记录。',
          'Give one terminal record and one settlement record.',
        );
      }
      setManualLink(db, terminal, settlement, req.action);
      runReconcile(db);
      return { ok: true };
    },
    'search.run': (req) => {
      ensureReconciled(db);
      const answers = answerSearch(db, {
        ...(req.cardLast4 ? { cardLast4: req.cardLast4 } : {}),
        ...(req.amountFen !== undefined ? { minFen: req.amountFen, maxFen: req.amountFen } : {}),
        ...(req.from ? { from: req.from } : {}),
        ...(req.to ? { to: req.to } : {}),
        ...(req.rrn ? { rrn: req.rrn } : {}),
        ...(req.terminalNo ? { terminalNo: req.terminalNo } : {}),
      });
      return answers.map((a) => ({
        record: toApiRecord(a.record),
        matchedWith: a.matchedWith && toApiRecord(a.matchedWith),
        mismatches: a.mismatches.map((m) => ({ id: m.id, kind: m.kind, explanation: m.explanation })),
      }));
    },
    'settings.get': () => settingsView(ctx),
    'settings.setFee': (req) => {
      setFeeTerm(
        db,
        req.card,
        { rateBp: req.rateBp, capFen: req.capFen, fixedFen: req.fixedFen },
        req.merchantNo ?? null,
        req.from,
      );
      return settingsView(ctx);
    },
    'settings.setCalendar': (req) => {
      editSettlementCalendar(db, req);
      return settingsView(ctx);
    },
    'settings.setKeywords': (req) => {
      saveSetting(db, 'acquirerKeywords', [...new Set(req.keywords)]);
      return settingsView(ctx);
    },
    'backups.list': () =>
      listBackups(backupDir(ctx.dbPath))
        .reverse()
        .map((file) => ({ file, size: statSync(file).size })),
    'backups.create': async () => ({ file: await backupNow(db, backupDir(ctx.dbPath)) }),
    'exports.bundle': async (req) => {
      ensureReconciled(db);
      const chosen = listMismatches(db, { ids: req.mismatchIds });
      if (chosen.length !== new Set(req.mismatchIds).size) {
        throw notFound({ zh: '有的差异已不存在。', en: 'Some of these mismatches no longer exist.' });
      }
      chosen.sort((a, b) => req.mismatchIds.indexOf(a.id) - req.mismatchIds.indexOf(b.id));
      const bundle = await buildBundle(db, ctx.fileStore, chosen, {
        generatedBy: ctx.user,
        appVersion: APP_VERSION,
        lang: req.lang,
      });
      return ctx.deliver(bundle.name, bundle.zip);
    },
    'exports.mismatches': (req) => {
      ensureReconciled(db);
      const table = mismatchTable(
        listMismatches(db, {
          ...(req.kind ? { kind: req.kind } : {}),
          ...(req.status ? { status: req.status } : {}),
        }),
        req.lang,
      );
      const name = `${table.sheet}.${req.format}`;
      return ctx.deliver(name, req.format === 'xlsx' ? writeXlsxBytes([table]) : writeCsvBytes(table));
    },
  };
}

function settingsView(ctx: EngineContext): Res<'settings.get'> {
  const s = loadSettings(ctx.db);
  return {
    fees: s.fees,
    feeSchedules: s.feeSchedules.flatMap((d) =>
      Object.entries(d.fees).map(([card, term]) => ({ merchantNo: d.merchantNo, from: d.from, card, term })),
    ),
    holidays: s.calendar.holidays,
    workdays: s.calendar.workdays,
    d0Merchants: s.d0Merchants,
    acquirerKeywords: s.acquirerKeywords,
    dataFolder: ctx.fileStore,
  };
}

export type Dispatched = { ok: true; value: unknown } | { ok: false; error: ApiError };

/** What may run while an import holds the database's write transaction: progress and cancel, and
 *  what reads no records. Anything else would see half an import, or be rolled back with it. */
const DURING_IMPORT = new Set<Channel>([
  'app.info',
  'files.pick',
  'imports.sample',
  'imports.preview',
  'imports.presets',
  'jobs.get',
  'jobs.cancel',
  'settings.get',
  'backups.list',
]);

/** Validates a request against its channel's schema, runs the handler, and turns refusals into
 *  bilingual errors. Both transports call this and nothing else. */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  raw: unknown,
  importing: () => boolean = () => false,
): Promise<Dispatched> {
  if (!Object.hasOwn(SCHEMAS, channel)) {
    return {
      ok: false,
      error: { code: 'invalid', zh: `没有这个接口：${channel}`, en: `No such channel: ${channel}` },
    };
  }
  const c = channel as Channel;
  if (importing() && !DURING_IMPORT.has(c)) {
    return {
      ok: false,
      error: {
        code: 'refused',
        zh: '正在导入文件，请在导入完成后再试。',
        en: 'An import is running; try again when it finishes.',
      },
    };
  }
  const parsed = SCHEMAS[c].safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(request)';
    return {
      ok: false,
      error: {
        code: 'invalid',
        zh: `请求无效（${where}）：${issue?.message}`,
        en: `Invalid request (${where}): ${issue?.message}`,
      },
    };
  }
  try {
    const handler = handlers[c] as (req: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof ApiRefusal) return { ok: false, error: err.toJSON() };
    if (err instanceof WorkflowError)
      return { ok: false, error: { code: 'refused', zh: err.zh, en: err.en } };
    if (err instanceof UnknownImportError) {
      return {
        ok: false,
        error: { code: 'not_found', zh: `没有编号为 ${err.importId} 的导入。`, en: err.message },
      };
    }
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      error: { code: 'internal', zh: `内部错误：${message}`, en: `Internal error: ${message}` },
    };
  }
}
