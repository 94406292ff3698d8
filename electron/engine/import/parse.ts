import { extname } from 'node:path';
import type { ImportLayout } from '../../../shared/api';
import type { Source } from '../../../shared/records';
import {
  FLAGGED_LISTED,
  type FlaggedRow,
  type ParseBatch,
  type ParsedRecord,
  type RejectedRow,
  type StoreBatch,
} from '../store/imports';
import { FIELD_COLUMNS, RowPacker } from '../store/record-columns';
import { detectLayout, HEADER_SCAN_ROWS, isFooterMarker, type Layout, type UserMapping } from './detect';
import type { Field } from './fields';
import { createRowNormalizer } from './normalize';
import { openDelimited, splitLines } from './readers/delimited';
import { openWithSheetJS } from './readers/sheetjs';
import {
  DEFAULT_LIMITS,
  FileReadError,
  type RawCell,
  type RawRow,
  type ReadLimits,
  type SheetTable,
  type TextRange,
} from './readers/types';
import { openXlsx } from './readers/xlsx-stream';

export interface ParseOptions {
  source?: Source;
  presetId?: string;
  mapping?: UserMapping;
  encoding?: string;
  limits?: ReadLimits;
  /** Records per batch handed to the store. */
  batchSize?: number;
}

/** What was recognised about a file before its rows are read (the API's import layout). */
export type FileLayout = ImportLayout;

export interface ParsedFile {
  layout: FileLayout;
  /** The rows in batches, records as objects (previews and tests). */
  batches(): Generator<ParseBatch>;
  /** The same batches packed for the store as they are read — all of them, or those of one part
   *  of a text file (see textParts) — so that no more than one row at a time lives as objects: a
   *  million rows held as objects until their batch was packed made every garbage collection copy
   *  them (about a third of an import's time in a CPU profile taken by hand). The reads share one
   *  packer: read each to its end before starting the next. */
  storeBatches(range?: TextRange): Generator<StoreBatch>;
}

/**
 * Reads a terminal, settlement or statement export. Throws FileReadError, naming the file, when it
 * cannot be read at all; bad rows are reported in the batches instead.
 */
export function parseFile(bytes: Uint8Array, fileName: string, options: ParseOptions = {}): ParsedFile {
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (bytes.byteLength === 0)
    throw fileError(fileName, new FileReadError('empty', '文件是空的', 'The file is empty'));
  try {
    const { format, encoding, tables } = openTables(bytes, fileName, limits, options.encoding);
    const found = findTable(tables, options);
    if (!found) {
      throw new FileReadError(
        'unknown_layout',
        '找不到可识别的表头：这不是已知的终端、清算或银行流水格式。请用 --mapping 指定列对应关系。',
        'No recognisable header row: this is not a known terminal, settlement or bank statement layout. Give a column mapping with --mapping.',
      );
    }
    const { table, layout } = found;
    const source = options.source ?? layout.source;
    if (!source) {
      throw new FileReadError(
        'unknown_source',
        '无法判断这是终端交易、清算明细还是银行流水，请用 --as 指定。',
        'Cannot tell whether this is a terminal, settlement or statement file; say which with --as.',
      );
    }
    const batchSize = options.batchSize ?? BATCH_ROWS;
    const columns: Record<string, string> = {};
    for (const [field, index] of Object.entries(layout.columns) as Array<[Field, number]>) {
      columns[field] = layout.headers[index] ?? `#${index + 1}`;
    }
    // One packer for every part a thread reads, one after another: its buffer serves them all.
    const packed = packedBatches(cellReferences(layout.columns));
    return {
      layout: {
        fileName,
        format,
        encoding,
        sheet: table.name,
        headerRow: layout.headerRow,
        source,
        preset: layout.preset ? { id: layout.preset.id, name: layout.preset.name } : null,
        columns,
      },
      batches: () => readBatches(table, { ...layout, source }, batchSize, fileName, undefined, AS_OBJECTS),
      storeBatches: (range) => readBatches(table, { ...layout, source }, batchSize, fileName, range, packed),
    };
  } catch (err) {
    throw fileError(fileName, err);
  }
}

/** The first rows of a file's first table as text, for a person to say which row is the header
 *  and which column holds what (the mapping editor). */
export function sampleRows(
  bytes: Uint8Array,
  fileName: string,
  count = 15,
  encoding?: string,
): { sheet: string | null; rows: Array<{ row: number; cells: string[] }> } {
  try {
    const { tables } = openTables(bytes, fileName, DEFAULT_LIMITS, encoding);
    const table = tables[0];
    const rows: Array<{ row: number; cells: string[] }> = [];
    for (const r of table?.rows() ?? []) {
      rows.push({ row: r.row, cells: rawTexts(r.cells) });
      if (rows.length >= count) break;
    }
    return { sheet: table?.name ?? null, rows };
  } catch (err) {
    throw fileError(fileName, err);
  }
}

/** Prefixes a read error with the file name, so every message says which file it is about. */
function fileError(fileName: string, err: unknown): unknown {
  if (!(err instanceof FileReadError) || err.message.startsWith(fileName)) return err;
  return new FileReadError(err.code, `${fileName}：${err.zh}`, `${fileName}: ${err.en}`);
}

function openTables(
  bytes: Uint8Array,
  fileName: string,
  limits: ReadLimits,
  encoding: string | undefined,
): { format: FileLayout['format']; encoding: string | null; tables: SheetTable[] } {
  const kind = kindOf(bytes, fileName);
  if (kind === 'zip') {
    let book: { sheetNames: string[]; sheet(name: string): SheetTable };
    try {
      book = openXlsx(bytes, limits);
    } catch (err) {
      // Limits and bombs are final; anything else our streaming reader does not know goes to SheetJS.
      if (err instanceof FileReadError && err.code !== 'unsupported') throw err;
      book = openWithSheetJS(bytes, limits);
    }
    return { format: 'xlsx', encoding: null, tables: book.sheetNames.map((n) => book.sheet(n)) };
  }
  if (kind === 'xls') {
    const book = openWithSheetJS(bytes, limits);
    return { format: 'xls', encoding: null, tables: book.sheetNames.map((n) => book.sheet(n)) };
  }
  if (kind === 'binary') {
    throw new FileReadError(
      'not_a_table',
      '不是表格文件（支持 .xlsx、.xls、.csv 和分隔符文本）',
      'Not a spreadsheet (.xlsx, .xls, .csv and delimited text are supported)',
    );
  }
  // Many bank portals save tab-separated text with an .xls name: read it as text.
  const text = openDelimited(bytes, limits, encoding ? { encoding } : {});
  return { format: 'csv', encoding: text.encoding, tables: [text.table] };
}

/** What a file is by its first bytes (and, for HTML saved as .xls, its name). */
function kindOf(bytes: Uint8Array, fileName: string): 'zip' | 'xls' | 'binary' | 'text' {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'zip';
  const isOle = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (isOle || (extname(fileName).toLowerCase() === '.xls' && looksLikeHtml(bytes))) return 'xls';
  return looksBinary(bytes) ? 'binary' : 'text';
}

/** Text files from this size on are read in parts by several threads at once. */
export const PARTS_FROM_BYTES = 4 << 20;
/** Rows per batch unless a caller asks otherwise (ParseOptions.batchSize). */
export const BATCH_ROWS = 4096;
export const PART_BYTES = 2 << 20;

/**
 * The parts a large text file can be read in, in file order, with the encoding it was found (or
 * given) to be in, or null when it is read whole: a workbook, a small file, a file whose encoding
 * is not ASCII-compatible (UTF-16: a line-feed byte is not a line end there), or an encoding given
 * by the user that is not one of those, a file whose lines end in CR alone, or a pipe-separated
 * file in a double-byte encoding.
 */
export function textParts(
  bytes: Uint8Array,
  fileName: string,
  encoding?: string,
): { encoding: string; ranges: TextRange[] } | null {
  if (bytes.length < PARTS_FROM_BYTES || kindOf(bytes, fileName) !== 'text') return null;
  const text = openDelimited(bytes, DEFAULT_LIMITS, encoding ? { encoding } : {});
  const enc = text.encoding.toLowerCase();
  if (!ASCII_COMPATIBLE.has(enc)) return null;
  // Parts end at line-feed bytes: a file whose lines end in CR alone may hold line feeds inside
  // cells. And in the double-byte encodings a character's second byte can be 0x7C, so a '|'
  // byte is not always the delimiter there.
  if (text.newline !== '\n' || (text.delimiter === '|' && enc !== 'utf-8' && enc !== 'utf8')) return null;
  return { encoding: text.encoding, ranges: splitLines(bytes, PART_BYTES, text.delimiter) };
}

const ASCII_COMPATIBLE = new Set(['utf-8', 'utf8', 'gb18030', 'gbk', 'gb2312', 'big5', 'shift_jis']);

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).toLowerCase();
  return head.includes('<html') || head.includes('<table');
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let zeros = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) zeros++;
    else if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  // UTF-16 text has many zeros but no other control bytes.
  return control > n * 0.05 || (zeros > 0 && zeros < n * 0.2);
}

/** The first sheet whose header row is recognised; a preset match beats a generic one. */
function findTable(
  tables: SheetTable[],
  options: ParseOptions,
): { table: SheetTable; layout: Layout } | null {
  let generic: { table: SheetTable; layout: Layout } | null = null;
  for (const table of tables) {
    const sample: RawRow[] = [];
    for (const row of table.rows()) {
      sample.push(row);
      if (sample.length >= HEADER_SCAN_ROWS) break;
    }
    const layout = detectLayout(sample, {
      ...(options.presetId ? { presetId: options.presetId } : {}),
      ...(options.source ? { source: options.source } : {}),
      ...(options.mapping ? { mapping: options.mapping } : {}),
    });
    if (!layout) continue;
    if (layout.preset || options.mapping) return { table, layout };
    generic ??= { table, layout };
  }
  return generic;
}

/** What every batch counts besides its records. */
interface BatchCounts {
  rejects: RejectedRow[];
  rowsRead: number;
  footerRows: number;
}

/** How a batch keeps its records (B while it fills, Out once handed on). */
interface BatchKind<B extends BatchCounts, Out> {
  start(): B;
  add(batch: B, record: ParsedRecord): void;
  records(batch: B): number;
  finish(batch: B): Out;
}

const AS_OBJECTS: BatchKind<ParseBatch, ParseBatch> = {
  start: () => ({ records: [], rejects: [], rowsRead: 0, footerRows: 0 }),
  add: (batch, record) => batch.records.push(record),
  records: (batch) => batch.records.length,
  finish: (batch) => batch,
};

/** Batches packed for the store, by one packer whose buffer serves every batch of a thread's
 *  reads. The rows stored with a warning are counted; only the first FLAGGED_LISTED a thread
 *  reads are listed, which are all the import reports (a thread reads its parts in file order). */
function packedBatches(
  refAt: readonly number[],
): BatchKind<BatchCounts & { flagged: FlaggedRow[]; flaggedCount: number }, StoreBatch> {
  const packer = new RowPacker(refAt);
  let listed = 0;
  return {
    start: () => ({ flagged: [], flaggedCount: 0, rejects: [], rowsRead: 0, footerRows: 0 }),
    add: (batch, r) => {
      packer.add(r.row, r.raw, r.plain, r.record);
      if (r.record.flags.length === 0) return;
      batch.flaggedCount++;
      if (listed++ < FLAGGED_LISTED) batch.flagged.push({ row: r.row, flags: r.record.flags });
    },
    records: () => packer.count,
    finish: ({ flagged, flaggedCount, rejects, rowsRead, footerRows }) => ({
      packed: packer.take(),
      flagged,
      flaggedCount,
      rejects,
      rowsRead,
      footerRows,
    }),
  };
}

function* readBatches<B extends BatchCounts, Out>(
  table: SheetTable,
  layout: Layout & { source: Source },
  batchSize: number,
  fileName: string,
  range: TextRange | undefined,
  kind: BatchKind<B, Out>,
): Generator<Out> {
  const { cardType, status } = layout.preset ?? {};
  const normalize = createRowNormalizer(layout, table.date1904, {
    ...(cardType ? { cardType } : {}),
    ...(status ? { status } : {}),
  });
  let batch = kind.start();
  let inFooter = false;
  for (const { row, cells, plain } of table.rows(range)) {
    if (row <= layout.headerRow) continue;
    if (isFooterMarker(cells)) {
      inFooter = true;
      batch.rowsRead++;
      batch.footerRows++;
      continue;
    }
    const out = normalize(cells);
    if (out.kind === 'blank') continue;
    batch.rowsRead++;
    if (out.kind === 'record') {
      kind.add(batch, { row, raw: rawTexts(cells), plain, record: out.record });
    } else if (inFooter) {
      // Summary blocks continue past their first line (WeChat's totals line follows its header).
      batch.footerRows++;
    } else {
      const r = out.reject;
      const rejected: RejectedRow = {
        row,
        column: r.column,
        value: r.value,
        reasonZh: `${fileName}${table.name ? ` [${table.name}]` : ''} 第 ${row} 行${r.column ? `「${r.column}」列` : ''}：${r.reason.zh}（值：${r.value === '' ? '空' : r.value}）`,
        reasonEn: `${fileName}${table.name ? ` [${table.name}]` : ''} row ${row}${r.column ? `, column "${r.column}"` : ''}: ${r.reason.en} (value: ${r.value === '' ? 'empty' : r.value})`,
      };
      batch.rejects.push(rejected);
    }
    if (kind.records(batch) + batch.rejects.length >= batchSize) {
      yield kind.finish(batch);
      batch = kind.start();
    }
  }
  if (batch.rowsRead > 0) yield kind.finish(batch);
}

/**
 * Which cells of a row may hold a stored field as it is (RowPacker's refAt): by column, the position
 * among the stored fields of the field read from it (the time: its date-and-time column), −1 none.
 */
function cellReferences(columns: Layout['columns']): number[] {
  const refAt: number[] = [];
  for (const [position, [, key]] of FIELD_COLUMNS.entries()) {
    const field: Field | undefined =
      key === 'txnTime' ? 'txnDateTime' : key in columns ? (key as Field) : undefined;
    const column = field === undefined ? undefined : columns[field];
    if (column === undefined) continue;
    while (refAt.length <= column) refAt.push(-1);
    refAt[column] = position;
  }
  return refAt;
}

/** The row's cells as text. Text files give all-string rows, fresh for every row: those are
 *  kept as they are instead of being copied cell by cell. */
function rawTexts(cells: RawCell[]): string[] {
  for (let i = 0; i < cells.length; i++) {
    if (typeof cells[i] !== 'string') return cells.map(cellText);
  }
  return cells as string[];
}

function cellText(c: string | number | null): string {
  return c === null ? '' : typeof c === 'string' ? c : String(c);
}
