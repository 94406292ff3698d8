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
import { parseInWorker, readForImport } from './parse-worker-client';
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
  const fileName = basename(req.path);
  try {
    const file = readForImport(req.path);
    const { bytes } = file;
    const options = {
      ...(req.source ? { source: req.source } : {}),
      ...(req.presetId ? { presetId: req.presetId } : {}),
      ...(req.mapping ? { mapping: req.mapping } : {}),
      ...(req.encoding ? { encoding: req.encoding } : {}),
    };
    // The parse workers start, load and find the layout while the file is hashed here. Its
    // failure, if any, is taken when it is awaited below.
    const parsing = parseInWorker(file, fileName, options);
    parsing.catch(() => undefined);
    const hash = sha256(bytes);
    const previous = findImportByHash(db, hash);
    // A file imported before is refused before anything is stored or waited for: its workers are
    // stopped where they are (the parse, no longer wanted, then fails into the catch above).
    if (previous) {
      await Promise.all(file.workers.map((w) => w.terminate()));
      const { zh, en } = new AlreadyImportedError(
        fileName,
        previous.id,
        previous.imported_at,
        previous.file_name,
      );
      return { ok: false, fileName, error: { code: 'already_imported', zh, en } };
    }
    const parsed = (await parsing) ?? inline(bytes, fileName, options);
    const { layout } = parsed;
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
    ).finally(() => parsed.stop());
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
  return { layout: parsed.layout, batches: givingWay(parsed.storeBatches()), stop: () => Promise.resolve() };
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
