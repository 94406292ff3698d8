import { readFileSync } from 'node:fs';
import type { ApiMapping, ImportFileOutcome, Req } from '../../../../shared/api';
import type { Source } from '../../../../shared/records';
import type { UserMapping } from '../../import/detect';
import { importFiles } from '../../import/import-file';
import { parseFile, sampleRows } from '../../import/parse';
import { FileReadError } from '../../import/readers/types';
import { runReconcile } from '../../reconcile/cases';
import { listImports, listRejects, undoImport } from '../../store/imports';
import { findUserPreset, listLayouts, saveUserPreset } from '../../store/user-presets';
import { ApiRefusal, notFound } from '../errors';
import type { JobHandle, Jobs } from '../jobs';
import { type EngineContext, fileOf, type Handlers } from './context';

// Imports: look at a file, read it as a job with progress, the history, undo, presets.

const PREVIEW_ROWS = 20;

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

async function runImports(ctx: EngineContext, req: Req<'imports.start'>, job: JobHandle): Promise<void> {
  const files = req.files.map((f) => ({
    ...fileOf(ctx, f.fileId),
    mapping: f.mapping,
    presetId: f.presetId,
  }));
  let started = Date.now();
  const announce = (index: number) => {
    job.checkCancelled();
    started = Date.now();
    job.progress({
      stage: 'import',
      fileName: files[index]!.name,
      fileIndex: index,
      files: files.length,
      rows: 0,
      rowsPerSecond: 0,
    });
  };
  if (files.length > 0) announce(0);
  const requests = files.map((file) => ({
    path: file.path,
    ...readOptions(ctx, { source: req.source, presetId: file.presetId, mapping: file.mapping }),
  }));
  let index = 0;
  for await (const outcome of importFiles(ctx.db, ctx.fileStore, requests, (at, p) => {
    // Throwing here rolls the file's transaction back: a cancelled import leaves nothing.
    job.checkCancelled();
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    job.progress({
      stage: 'import',
      fileName: files[at]!.name,
      fileIndex: at,
      files: files.length,
      rows: p.rowsRead,
      rowsPerSecond: Math.round(p.rowsRead / seconds),
    });
  })) {
    const file = files[index]!;
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
    if (++index < files.length) announce(index);
  }
  job.progress({
    stage: 'reconcile',
    fileName: '',
    fileIndex: files.length,
    files: files.length,
    rows: 0,
    rowsPerSecond: 0,
  });
  // Let a waiting progress request see the stage before matching holds the thread.
  await new Promise((resolve) => setImmediate(resolve));
  runReconcile(ctx.db);
}

export function importHandlers(
  ctx: EngineContext,
  jobs: Jobs,
): Pick<
  Handlers,
  | 'imports.sample'
  | 'imports.preview'
  | 'imports.start'
  | 'imports.history'
  | 'imports.rejects'
  | 'imports.undo'
  | 'imports.presets'
  | 'jobs.get'
  | 'jobs.cancel'
> {
  const { db } = ctx;
  return {
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
    'imports.presets': () => listLayouts(db),
    'jobs.get': (req) => {
      const job = jobs.get(req.jobId);
      if (!job) throw notFound({ zh: '没有这个任务。', en: 'No such job.' });
      return job;
    },
    'jobs.cancel': (req) => ({ cancelled: jobs.cancel(req.jobId) }),
  };
}
