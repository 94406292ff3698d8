import { basename } from 'node:path';
import type { Source } from '../../../shared/records';
import type { Db } from '../store/database';
import { sha256 } from '../store/file-store';
import {
  AlreadyImportedError,
  findImportByHash,
  type ImportCounts,
  type ImportResult,
  storeImport,
} from '../store/imports';
import type { UserMapping } from './detect';
import { type FileLayout, type ParseOptions, parseFile } from './parse';
import {
  type FileForImport,
  ParseWorkers,
  parseInWorker,
  readAhead,
  readForImport,
  withWorkers,
} from './parse-worker-client';
import { FileReadError } from './readers/types';

const OPEN_ERRORS = {
  ENOENT: { zh: '文件不存在', en: 'no such file' },
  EISDIR: { zh: '这是一个文件夹，不是文件', en: 'this is a folder, not a file' },
  EACCES: { zh: '没有读取这个文件的权限', en: 'no permission to read this file' },
} as const;

export interface ImportRequest {
  path: string;
  source?: Source;
  presetId?: string;
  mapping?: UserMapping;
  encoding?: string;
}

export interface ImportProgress extends ImportCounts {
  fileName: string;
  bytes: number;
}

export type ImportOutcome =
  | { ok: true; fileName: string; layout: FileLayout; result: ImportResult }
  | { ok: false; fileName: string; error: { code: string; zh: string; en: string } };

/** A file read, with its parse started, ahead of being stored (importFiles). Starting never throws:
 *  what went wrong is taken up when the file's turn comes. */
interface StartedImport {
  req: ImportRequest;
  fileName: string;
  options: ParseOptions;
  file?: FileForImport;
  parsing?: ReturnType<typeof parseInWorker>;
  error?: unknown;
}

function optionsOf(req: ImportRequest): ParseOptions {
  return {
    ...(req.source ? { source: req.source } : {}),
    ...(req.presetId ? { presetId: req.presetId } : {}),
    ...(req.mapping ? { mapping: req.mapping } : {}),
    ...(req.encoding ? { encoding: req.encoding } : {}),
  };
}

/**
 * Reads a file and starts its parse: on this thread, or, when its read was started ahead
 * (readAhead), once that read is done. Its failure, if any, is taken in the file's turn.
 */
async function startImport(
  req: ImportRequest,
  pool: ParseWorkers,
  ahead?: Promise<Uint8Array>,
): Promise<StartedImport> {
  const started: StartedImport = { req, fileName: basename(req.path), options: optionsOf(req) };
  try {
    started.file = ahead ? withWorkers(await ahead, pool) : readForImport(req.path, pool);
    // The parse workers start, load and find the layout meanwhile. Its failure, if any, is taken
    // when it is awaited.
    started.parsing = parseInWorker(started.file, started.fileName, started.options, pool);
    started.parsing.catch(() => undefined);
  } catch (err) {
    started.error = err;
  }
  return started;
}

/** Stops a started file's parse workers where they are (a file refused, or whose turn never came). */
async function abandon(started: StartedImport, pool: ParseWorkers): Promise<void> {
  await pool.stop(started.file?.workers ?? []);
}

/**
 * Imports one file. The file is parsed in a worker thread when one is available (the built app
 * and command line) so that parsing and SQLite inserts use both cores; inline otherwise.
 */
export async function importFile(
  db: Db,
  fileStore: string,
  req: ImportRequest,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportOutcome> {
  const pool = new ParseWorkers();
  try {
    return await storeStarted(db, fileStore, await startImport(req, pool), pool, onProgress);
  } finally {
    await pool.end();
  }
}

/**
 * Imports files one after another, yielding each outcome in turn. Each next file is read ahead
 * (readAhead) from the moment the one before starts, and its parse started as soon as the file
 * before has been parsed, so that it is parsed while the one before is still being stored and
 * committed (a core would otherwise wait), by the same threads (ParseWorkers). A caller that stops
 * early (cancelled, or an error) leaves no parse running.
 */
export async function* importFiles(
  db: Db,
  fileStore: string,
  reqs: readonly ImportRequest[],
  onProgress?: (index: number, p: ImportProgress) => void,
  pool = new ParseWorkers(),
): AsyncGenerator<ImportOutcome> {
  let next: Promise<StartedImport> | null = null;
  try {
    for (let i = 0; i < reqs.length; i++) {
      // The next file's read is started before this one's (which may be read on this thread).
      const ahead = i + 1 < reqs.length ? readAhead(reqs[i + 1]!.path) : null;
      // Its failure is taken in its turn.
      ahead?.catch(() => undefined);
      const current = await (next ?? startImport(reqs[i]!, pool));
      next = null;
      const startNext = () => {
        if (ahead) next ??= startImport(reqs[i + 1]!, pool, ahead);
      };
      yield await storeStarted(
        db,
        fileStore,
        current,
        pool,
        onProgress && ((p) => onProgress(i, p)),
        startNext,
      );
      // A file refused before it was parsed never calls startNext.
      startNext();
    }
  } finally {
    if (next) await abandon(await next, pool);
    await pool.end();
  }
}

async function storeStarted(
  db: Db,
  fileStore: string,
  started: StartedImport,
  pool: ParseWorkers,
  onProgress?: (p: ImportProgress) => void,
  onParsed?: () => void,
): Promise<ImportOutcome> {
  const { req, fileName, options } = started;
  try {
    if (!started.file) throw started.error;
    const { file } = started;
    const { bytes } = file;
    const hash = sha256(bytes);
    const previous = findImportByHash(db, hash);
    // A file imported before is refused before anything is stored or waited for: its workers are
    // stopped where they are (the parse, no longer wanted, then fails unheeded).
    if (previous) {
      await abandon(started, pool);
      const { zh, en } = new AlreadyImportedError(
        fileName,
        previous.id,
        previous.imported_at,
        previous.file_name,
      );
      return { ok: false, fileName, error: { code: 'already_imported', zh, en } };
    }
    const parsed = (await started.parsing) ?? inline(bytes, fileName, options);
    const { layout } = parsed;
    let storing = true;
    if (onParsed) void parsed.sent?.then(() => storing && onParsed());
    const result = await storeImport(
      db,
      fileStore,
      {
        fileName,
        sha256: hash,
        bytes,
        source: layout.source,
        presetId: layout.preset?.id ?? null,
        presetName: layout.preset?.name.zh ?? req.mapping?.name ?? null,
        encoding: layout.encoding,
        sheet: layout.sheet,
        headerRow: layout.headerRow,
        columns: layout.columns,
      },
      parsed.batches,
      onProgress ? (c) => onProgress({ ...c, fileName, bytes: bytes.byteLength }) : undefined,
    ).finally(() => {
      storing = false;
      return parsed.stop();
    });
    return { ok: true, fileName, layout, result };
  } catch (err) {
    if (err instanceof FileReadError)
      return { ok: false, fileName, error: { code: err.code, zh: err.zh, en: err.en } };
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      return {
        ok: false,
        fileName,
        error: {
          code: 'cannot_open',
          zh: `${req.path}：${OPEN_ERRORS[code].zh}`,
          en: `${req.path}: ${OPEN_ERRORS[code].en}`,
        },
      };
    }
    throw err;
  }
}

function inline(bytes: Uint8Array, fileName: string, options: ParseOptions) {
  const parsed = parseFile(bytes, fileName, options);
  // Parsed on this thread as it is stored: no other core is left for the next file meanwhile.
  return {
    layout: parsed.layout,
    batches: givingWay(parsed.storeBatches()),
    stop: () => Promise.resolve(),
    sent: null,
  };
}

/** Batches parsed on this thread, with a turn for the event loop every 50 ms so that progress and
 *  cancel requests are answered meanwhile (a worker's batches arrive as messages, which give it). */
async function* givingWay<T>(batches: Iterable<T>): AsyncGenerator<T> {
  let yielded = Date.now();
  for (const batch of batches) {
    if (Date.now() - yielded > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = Date.now();
    }
    yield batch;
  }
}
