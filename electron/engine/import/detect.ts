// Finds the header row of a table by its content, recognises the export layout (preset) and maps
// the file's columns onto fields. Works on the first rows of a sheet or text file only.
//
// Header texts come from the file, so they are never used as keys of plain objects: lookups go
// through Map and Set. A header named `__proto__` or `constructor` is just text.

import type { Source } from '../../../shared/records';
import { COMMON_ALIASES } from './aliases';
import { type ColumnIndexes, FIELDS, type Field } from './fields';
import { normalizeHeader } from './headers';
import { PRESETS, presetById } from './presets';
import type { Preset } from './presets/types';
import type { RawCell, RawRow } from './readers/types';

export interface UserMapping {
  name?: string;
  source: Source;
  /** Field → header text (normalised before comparing) or 1-based column number. */
  columns: Partial<Record<Field, string | number>>;
  amountUnit?: 'yuan' | 'fen';
  /** 1-based file row number of the header row. */
  headerRow?: number;
}

export interface Layout {
  /** Index in the sample array of the header row; -1 for a headerless file read with a mapping
   *  that names columns by number only. */
  headerIndex: number;
  /** Its 1-based file row number (sample[headerIndex].row); 0 when there is no header row. */
  headerRow: number;
  /** Normalised header texts. */
  headers: string[];
  /** null when a user mapping or the generic aliases were used. */
  preset: Preset | null;
  /** null when it could not be told (the caller then needs --as). */
  source: Source | null;
  /** Field → 0-based column index. */
  columns: ColumnIndexes;
  amountUnit: 'yuan' | 'fen';
}

export interface DetectOptions {
  presetId?: string;
  source?: Source;
  mapping?: UserMapping;
}

/** How many leading rows are searched for the header row. */
export const HEADER_SCAN_ROWS = 40;
/** A row needs at least this many recognised header texts to count as a header row. */
const MIN_KNOWN_HEADERS = 3;

let knownHeaderTexts: Set<string> | null = null;

/** Every header text any preset or the common aliases know. */
function knownHeaders(): Set<string> {
  if (knownHeaderTexts) return knownHeaderTexts;
  const known = new Set<string>();
  for (const field of FIELDS) for (const name of COMMON_ALIASES[field]) known.add(name);
  for (const preset of PRESETS) {
    for (const name of preset.signature) known.add(name);
    for (const field of FIELDS) for (const name of preset.columns[field] ?? []) known.add(name);
  }
  known.delete('');
  knownHeaderTexts = known;
  return known;
}

function normalizeRow(cells: readonly RawCell[]): string[] {
  return cells.map((cell) => normalizeHeader(cell));
}

/** Header text → index of its first occurrence. */
function indexHeaders(headers: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    if (h !== '' && !index.has(h)) index.set(h, i);
  });
  return index;
}

/** Number of columns up to the last non-empty header (trailing empty cells do not count). */
function columnCount(headers: readonly string[]): number {
  let n = headers.length;
  while (n > 0 && headers[n - 1] === '') n--;
  return n;
}

function knownCount(headers: readonly string[]): number {
  const known = knownHeaders();
  const seen = new Set<string>();
  for (const h of headers) if (known.has(h)) seen.add(h);
  return seen.size;
}

function presetFits(preset: Preset, index: Map<string, number>, count: number): boolean {
  if (preset.columnCount !== undefined && preset.columnCount !== count) return false;
  return preset.signature.every((name) => index.has(name));
}

/** Presets whose whole signature (and column count, when set) is present in a header row. */
export function matchingPresets(headers: readonly string[]): Preset[] {
  const index = indexHeaders(headers);
  const count = columnCount(headers);
  return PRESETS.filter((p) => presetFits(p, index, count));
}

/** The most specific preset: longest signature, then the earlier one in PRESETS. */
function mostSpecific(candidates: readonly Preset[]): Preset | null {
  let best: Preset | null = null;
  for (const p of candidates) if (!best || p.signature.length > best.signature.length) best = p;
  return best;
}

/** Fields only bank statements have, and fields only card/QR records have. When a preset is known,
 *  the common aliases fill in only the fields its kind of record can have: a bank's 凭证号 is not a
 *  POS trace, BOC's 业务类型 is not a transaction type, a buyer's 对方账户 is not a bank counterparty. */
const STATEMENT_ONLY: ReadonlySet<Field> = new Set<Field>([
  'counterparty',
  'counterpartyAccount',
  'balance',
  'credit',
  'debit',
  'direction',
]);
const CARD_ONLY: ReadonlySet<Field> = new Set<Field>([
  'merchantNo',
  'merchantName',
  'terminalNo',
  'cardNo',
  'cardType',
  'txnType',
  'status',
  'fee',
  'net',
  'refundAmount',
  'rrn',
  'trace',
  'batch',
  'authCode',
  'orderNo',
  'origRrn',
  'origTrace',
  'origOrderNo',
]);

function aliasApplies(field: Field, source: Source | null): boolean {
  if (source === 'statement') return !CARD_ONLY.has(field);
  if (source === 'terminal' || source === 'settlement') return !STATEMENT_ONLY.has(field);
  return true;
}

/** Field → column: the preset's own names first, then the common aliases; a column feeds one field. */
function resolveColumns(preset: Preset | null, index: Map<string, number>): ColumnIndexes {
  const columns: ColumnIndexes = {};
  const used = new Set<number>();
  const claim = (field: Field, names: readonly string[] | undefined): void => {
    if (columns[field] !== undefined || !names) return;
    for (const name of names) {
      const i = index.get(name);
      if (i !== undefined && !used.has(i)) {
        columns[field] = i;
        used.add(i);
        return;
      }
    }
  };
  if (preset) for (const field of FIELDS) claim(field, preset.columns[field]);
  const source = preset?.source ?? null;
  for (const field of FIELDS) if (aliasApplies(field, source)) claim(field, COMMON_ALIASES[field]);
  return columns;
}

/** Which kind of record a generic layout holds, from the fields it maps. */
function guessSource(columns: ColumnIndexes): Source | null {
  const has = (f: Field) => columns[f] !== undefined;
  if (has('credit') || has('debit') || has('balance') || has('counterparty') || has('counterpartyAccount')) {
    return 'statement';
  }
  if (has('clearDate') && has('net')) return 'settlement';
  if (has('status') || has('trace') || has('batch')) return 'terminal';
  return null;
}

function layoutOf(
  sample: readonly RawRow[],
  headerIndex: number,
  headers: string[],
  preset: Preset | null,
  source: Source | null,
  columns: ColumnIndexes,
  amountUnit: 'yuan' | 'fen',
): Layout {
  return {
    headerIndex,
    headerRow: headerIndex >= 0 ? sample[headerIndex]!.row : 0,
    headers,
    preset,
    source,
    columns,
    amountUnit,
  };
}

/** The layout a preset gives the header row at `headerIndex` (the caller's source wins). */
function presetLayout(
  sample: readonly RawRow[],
  headerIndex: number,
  headers: string[],
  preset: Preset,
  columns: ColumnIndexes,
  source: Source | undefined,
): Layout {
  return layoutOf(
    sample,
    headerIndex,
    headers,
    preset,
    source ?? preset.source,
    columns,
    preset.amountUnit ?? 'yuan',
  );
}

function detectWithMapping(sample: readonly RawRow[], scan: string[][], mapping: UserMapping): Layout | null {
  const names: string[] = [];
  for (const field of FIELDS) {
    const v = mapping.columns[field];
    if (typeof v === 'string') names.push(normalizeHeader(v));
    else if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) return null;
  }

  let headerIndex = -1;
  if (mapping.headerRow !== undefined) {
    headerIndex = sample.findIndex((r) => r.row === mapping.headerRow);
    if (headerIndex < 0) return null;
  } else if (names.length > 0) {
    headerIndex = scan.findIndex((headers) => {
      const index = indexHeaders(headers);
      return names.every((n) => index.has(n));
    });
    if (headerIndex < 0) return null;
  } else {
    // Columns by number only: use a recognisable header row if there is one, else treat the file
    // as headerless.
    const best = bestHeaderRow(scan);
    headerIndex = best.score >= MIN_KNOWN_HEADERS ? best.index : -1;
  }

  const headers = headerIndex >= 0 ? (scan[headerIndex] ?? normalizeRow(sample[headerIndex]!.cells)) : [];
  const index = indexHeaders(headers);
  const columns: ColumnIndexes = {};
  for (const field of FIELDS) {
    const v = mapping.columns[field];
    if (typeof v === 'number') columns[field] = v - 1;
    else if (typeof v === 'string') {
      const i = index.get(normalizeHeader(v));
      if (i === undefined) return null;
      columns[field] = i;
    }
  }
  return layoutOf(sample, headerIndex, headers, null, mapping.source, columns, mapping.amountUnit ?? 'yuan');
}

function bestHeaderRow(scan: readonly string[][]): { index: number; score: number } {
  let index = -1;
  let score = 0;
  scan.forEach((headers, i) => {
    const s = knownCount(headers);
    if (s > score) {
      score = s;
      index = i;
    }
  });
  return { index, score };
}

/**
 * Finds the header row in the first rows of a table and works out the layout.
 * - With opts.mapping: the mapping alone decides (header row from mapping.headerRow, or the first
 *   row holding all its named columns); preset is null.
 * - With opts.presetId: that preset, on the first row where its signature is found; null if none.
 * - Otherwise the row with the most recognised header texts (at least 3) is the header row; among
 *   the presets fully present there (or, failing that, on another recognisable row) the most
 *   specific wins, preferring presets of opts.source. With no preset, the common aliases map the
 *   columns, and the layout is only returned when it maps an amount and a time.
 * opts.source, when given, is the returned source: the user said what the file is.
 */
export function detectLayout(sample: readonly RawRow[], opts: DetectOptions = {}): Layout | null {
  const scan = sample.slice(0, HEADER_SCAN_ROWS).map((r) => normalizeRow(r.cells));

  if (opts.mapping) return detectWithMapping(sample, scan, opts.mapping);

  if (opts.presetId !== undefined) {
    const preset = presetById(opts.presetId);
    if (!preset) return null;
    for (let i = 0; i < scan.length; i++) {
      const headers = scan[i]!;
      const index = indexHeaders(headers);
      if (presetFits(preset, index, columnCount(headers))) {
        const columns = resolveColumns(preset, index);
        return presetLayout(sample, i, headers, preset, columns, opts.source);
      }
    }
    return null;
  }

  // Rows that look like headers, best first (ties: the earlier row).
  const candidates = scan
    .map((headers, i) => ({ i, score: knownCount(headers) }))
    .filter((c) => c.score >= MIN_KNOWN_HEADERS)
    .sort((a, b) => b.score - a.score || a.i - b.i);
  if (candidates.length === 0) return null;

  for (const { i } of candidates) {
    const headers = scan[i]!;
    const matches = matchingPresets(headers);
    if (matches.length === 0) continue;
    const preferred = opts.source ? matches.filter((p) => p.source === opts.source) : [];
    const preset = mostSpecific(preferred.length > 0 ? preferred : matches)!;
    const columns = resolveColumns(preset, indexHeaders(headers));
    return presetLayout(sample, i, headers, preset, columns, opts.source);
  }

  const { i } = candidates[0]!;
  const headers = scan[i]!;
  const columns = resolveColumns(null, indexHeaders(headers));
  const hasAmount = ['amount', 'credit', 'debit', 'net'].some((f) => columns[f as Field] !== undefined);
  const hasTime = columns.txnDateTime !== undefined || columns.txnDate !== undefined;
  if (!hasAmount || !hasTime) return null;
  return layoutOf(sample, i, headers, null, opts.source ?? guessSource(columns), columns, 'yuan');
}

// ---------------------------------------------------------------------------------------------
// Footers

const CELL_NOISE = /[\s\u00a0\u3000\u200b\ufeff`]/g;
const TOTAL_WORD = /^(本页|本日|当日|本月|本期|全部|总)?(合计|总计|小计|累计)/;
const CHANNEL_TOTAL = /^(交易|退款|收入|支出|借方|贷方)合计/;
const ROW_COUNT = /共[\d,]+(笔|条)/;
const NOTICE =
  /^(以上数据|以上信息|以上明细|以上内容|本数据仅供参考|本明细仅供参考|本对账单仅供参考|仅供参考|注[:：]|说明[:：]|导出时间|打印时间|下载时间|温馨提示)/;
const WECHAT_SUMMARY = /^总交易单数/;

function cellText(cell: RawCell): string {
  if (cell === null || cell === undefined) return '';
  return String(cell).replace(CELL_NOISE, '');
}

/** 合计 / 本页合计 …, but not a name that merely starts with the word (合计科技有限公司). */
function isTotalWord(text: string): boolean {
  const m = TOTAL_WORD.exec(text);
  if (!m) return false;
  const rest = text.slice(m[0].length);
  return rest.length <= 4 || /^[:：(（\d\-¥￥]/.test(rest);
}

/** First characters with which a footer pattern above can start (after CELL_NOISE is removed);
 *  keep in step with the patterns. ROW_COUNT can match anywhere, so it is checked by its 共. */
const FOOTER_FIRST = new Set(
  Array.from('#总以本仅注说导打下温当全合小累交退收支借贷', (ch) => ch.charCodeAt(0)),
);

/** The characters CELL_NOISE removes: \s (JavaScript's white space and line terminators), NBSP,
 *  ideographic space, zero-width space, BOM and backtick. */
function isCellNoise(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13) || c === 0x60;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** A row that ends the data: totals, row counts, notices, Alipay's `#` block, WeChat's summary. */
export function isFooterMarker(cells: readonly RawCell[]): boolean {
  // Runs on every data row: rule out the usual row (first cells a date, an amount, a merchant
  // number…) by their first characters before building any cleaned text.
  let seen = 0;
  for (const cell of cells) {
    if (cell === null || cell === undefined) continue;
    if (typeof cell === 'string') {
      let i = 0;
      while (i < cell.length && isCellNoise(cell.charCodeAt(i))) i++;
      if (i === cell.length) continue;
      if (FOOTER_FIRST.has(cell.charCodeAt(i)) || cell.includes('共')) return footerByPattern(cells);
    } else if (typeof cell !== 'number') {
      return footerByPattern(cells);
    }
    // A number's text (digits, '-', '.', 'e', NaN, Infinity) matches no footer pattern.
    if (++seen === 2) break;
  }
  return false;
}

function footerByPattern(cells: readonly RawCell[]): boolean {
  const firstTwo: string[] = [];
  for (const cell of cells) {
    const text = cellText(cell);
    if (text === '') continue;
    firstTwo.push(text);
    if (firstTwo.length === 2) break;
  }
  const first = firstTwo[0];
  if (first === undefined) return false;
  if (first.startsWith('#') || WECHAT_SUMMARY.test(first) || NOTICE.test(first)) return true;
  return firstTwo.some((t) => isTotalWord(t) || CHANNEL_TOTAL.test(t) || ROW_COUNT.test(t));
}
