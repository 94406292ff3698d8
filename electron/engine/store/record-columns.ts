import {
  CARD_TYPES,
  type NormalizedRecord,
  type RecordFlag,
  SOURCES,
  TXN_STATUSES,
  TXN_TYPES,
} from '../../../shared/records';
import { fingerprint, fingerprintSeconds, hash53, wallSeconds } from './fingerprint';
import { JsonArrayWriter, writeBmpChar, writeSurrogatePair } from './json-array-writer';

// How a NormalizedRecord maps onto the `record_rows` table (read through the `records` view), and
// how rows travel from a parsing thread to the inserting one. A stored row is nine values: the
// vocabularies packed into one integer, the three amounts, every text field as one JSON array and
// the original cells as one string. Binding each value costs the inserting thread about as much
// as SQLite's own work for the row, so nine values instead of twenty-six made the insert about
// three times cheaper in a by-hand measurement; the view gives every field its column back for SQL readers.

/** The vocabularies, each stored as its index in these lists (which therefore only grow at the
 *  end), four bits apiece in `codes`: source, card type, transaction type, status. */
export const SOURCE = codesOf(SOURCES);
export const CARD = codesOf(CARD_TYPES);
export const TXN = codesOf(TXN_TYPES);
export const STATUS = codesOf(TXN_STATUSES);
function codesOf<T extends string>(words: readonly T[]): Record<T, number> {
  return Object.fromEntries(words.map((w, i) => [w, i])) as Record<T, number>;
}

/** A record's vocabularies packed as the `codes` column stores them. */
export function packCodes(r: Pick<NormalizedRecord, 'source' | 'cardType' | 'txnType' | 'status'>): number {
  return SOURCE[r.source] | (CARD[r.cardType] << 4) | (TXN[r.txnType] << 8) | (STATUS[r.status] << 12);
}

/**
 * The text fields in the order of the `f` JSON array; the view in migration 5 reads them by these
 * positions (tests/…/record-columns.test.ts holds the two together). Fields most often empty come
 * last: trailing nulls are left out of the array.
 */
export const FIELD_COLUMNS = [
  ['txn_time', 'txnTime'],
  ['clear_date', 'clearDate'],
  ['merchant_no', 'merchantNo'],
  ['terminal_no', 'terminalNo'],
  ['card_no', 'cardNo'],
  ['card_last4', 'cardLast4'],
  ['rrn', 'rrn'],
  ['trace', 'trace'],
  ['batch', 'batch'],
  ['merchant_name', 'merchantName'],
  ['auth_code', 'authCode'],
  ['flags', 'flags'],
  ['orig_rrn', 'origRrn'],
  ['orig_trace', 'origTrace'],
  ['order_no', 'orderNo'],
  ['orig_order_no', 'origOrderNo'],
  ['channel_txn_no', 'channelTxnNo'],
  ['counterparty', 'counterparty'],
  ['counterparty_account', 'counterpartyAccount'],
  ['summary', 'summary'],
  ['balance_fen', 'balanceFen'],
] as const satisfies ReadonlyArray<readonly [string, keyof NormalizedRecord]>;

/** The insert statement's columns, in the order of its parameters. */
export const INSERT_COLUMNS = [
  'import_id',
  'row_no',
  'fp',
  'codes',
  'amount_fen',
  'fee_fen',
  'net_fen',
  'f',
  'raw',
] as const;
export const STRIDE = INSERT_COLUMNS.length;
/** One row's values in the insert statement: the fields JSON and the cells arrive as UTF-8 bytes
 *  (see PackedRows) and are stored as the text they are. */
export const ROW_VALUES = '(?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), CAST(? AS TEXT))';
/**
 * One row's values in a statement that inserts a run of rows packed one after another: the import
 * and those rows' bytes are named parameters, bound once for the run; a row brings its numbers and
 * where its fields JSON and its cells lie in the bytes (from 1, and lengths). Bound row by row as
 * two byte ranges, each a Buffer made for it, importing both bench files took 11.20 s of CPU against
 * 10.43 s (means of four alternating runs, by hand).
 */
export const RUN_ROW_VALUES =
  '(@importId, ?, ?, ?, ?, ?, ?, CAST(substr(@bytes, ?, ?) AS TEXT), CAST(substr(@bytes, ?, ?) AS TEXT))';
/** A row's numeric insert parameters, row_no through net_fen (putNumbers). */
const ROW_NUMBERS = INSERT_COLUMNS.indexOf('f') - INSERT_COLUMNS.indexOf('row_no');
/** Parameters per row of RUN_ROW_VALUES: the numbers, then two byte ranges as start and length. */
export const RUN_STRIDE = ROW_NUMBERS + 4;
/** Each insert column's offset among a row's parameters (INSERT_COLUMNS order). */
export const PARAM = {
  importId: INSERT_COLUMNS.indexOf('import_id'),
  rowNo: INSERT_COLUMNS.indexOf('row_no'),
  fp: INSERT_COLUMNS.indexOf('fp'),
  codes: INSERT_COLUMNS.indexOf('codes'),
  amount: INSERT_COLUMNS.indexOf('amount_fen'),
  fee: INSERT_COLUMNS.indexOf('fee_fen'),
  net: INSERT_COLUMNS.indexOf('net_fen'),
  f: INSERT_COLUMNS.indexOf('f'),
  raw: INSERT_COLUMNS.indexOf('raw'),
};

/** Numbers per packed row: row number, time key, content hash, codes, amount, fee, net. */
export const NUMBERS = 7;

/**
 * One batch of rows, packed by a parsing thread for the inserting one: typed arrays cross threads
 * far cheaper than a structured clone of millions of small values, and UTF-8 bytes written into
 * memory that is used again and again spare both threads a megabyte string per batch (made,
 * copied across, converted to UTF-8 by SQLite's binding, and collected).
 */
export interface PackedRows {
  count: number;
  /** Per row: row number, wall-clock seconds, content hash, codes, amount, fee, net (NaN: null). */
  numbers: Float64Array;
  /** Per row its fields JSON followed by its original cells (encodeCells), UTF-8, located by
   *  `ends`. This and the other arrays are views of memory the sender uses again: valid until the
   *  next batch is asked for. */
  bytes: Buffer;
  /** Per row: where its fields JSON ends and where its cells end, as offsets into `bytes`. */
  ends: Int32Array;
}

/** Packs rows one at a time as they are parsed; take() hands the batch over and starts anew.
 *  Pure per row, so any number of threads can pack parts of one file. */
export class RowPacker {
  count = 0;
  private numbers = new Float64Array(NUMBERS * 1024);
  private ends = new Int32Array(2 * 1024);
  private bytes = Buffer.allocUnsafe(1 << 20);
  private length = 0;
  private readonly json = new JsonArrayWriter();

  /** `refAt`: by cell index, the position of the field read from that cell (−1: none; see
   *  writeReferencedCells); empty: every row's cells are stored whole. */
  constructor(private readonly refAt: readonly number[] = []) {}

  add(row: number, raw: readonly string[], plain: string | undefined, r: NormalizedRecord): void {
    if (this.count * 2 === this.ends.length) this.grow();
    const n = this.count * NUMBERS;
    const codes = packCodes(r);
    const numbers = this.numbers;
    numbers[n] = row;
    numbers[n + 1] = wallSeconds(r.txnTime);
    numbers[n + 3] = codes;
    numbers[n + 4] = r.amountFen ?? Number.NaN;
    numbers[n + 5] = r.feeFen ?? Number.NaN;
    numbers[n + 6] = r.netFen ?? Number.NaN;
    const fields = fieldValues(r);
    this.reserve(JsonArrayWriter.maxBytes(fields));
    this.length = this.json.write(
      fields,
      this.bytes,
      this.length,
      contentSeed(codes, r.amountFen, r.feeFen, r.netFen),
    );
    numbers[n + 2] = this.json.hash;
    this.ends[this.count * 2] = this.length;
    this.putCells(raw, fields, plain);
    this.ends[this.count * 2 + 1] = this.length;
    this.count++;
  }

  /** The batch so far, as views of the packer's own memory: valid until the next add(). */
  take(): PackedRows {
    const packed = {
      count: this.count,
      numbers: this.numbers.subarray(0, this.count * NUMBERS),
      bytes: this.bytes.subarray(0, this.length),
      ends: this.ends.subarray(0, this.count * 2),
    };
    this.count = 0;
    this.length = 0;
    return packed;
  }

  /**
   * Writes a row's cells as stored: with references (see writeReferencedCells) where the file has
   * columns to refer to, joined by the delimiter a text line was split at or else by U+001F when no
   * cell contains it; otherwise by encodeCells.
   */
  private putCells(
    raw: readonly string[],
    fields: ReadonlyArray<string | number | null>,
    plain?: string,
  ): void {
    const delimiter =
      this.refAt.length === 0
        ? undefined
        : (plain ?? (raw.some((c) => c.includes(CELL_SEP)) ? undefined : CELL_SEP));
    if (delimiter !== undefined) {
      let units = 2 + raw.length;
      for (const cell of raw) units += cell.length;
      this.reserve(units * 3);
      const end = writeReferencedCells(this.bytes, this.length, raw, fields, this.refAt, delimiter);
      if (end >= 0) {
        this.length = end;
        return;
      }
    }
    this.put(encodeCells(raw));
  }

  private put(text: string): void {
    // UTF-8 takes at most three bytes for each UTF-16 unit.
    this.reserve(text.length * 3);
    this.length += this.bytes.write(text, this.length);
  }

  private reserve(bytes: number): void {
    if (this.bytes.length - this.length >= bytes) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + bytes));
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }

  private grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const ends = new Int32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }
}

/** The record's text fields in `f` order, trailing nulls left out. */
function fieldValues(r: NormalizedRecord): Array<string | number | null> {
  return withoutTrailingNulls([
    r.txnTime,
    r.clearDate,
    r.merchantNo,
    r.terminalNo,
    r.cardNo,
    r.cardLast4,
    r.rrn,
    r.trace,
    r.batch,
    r.merchantName,
    r.authCode,
    r.flags.length > 0 ? r.flags.join(',') : null,
    r.origRrn,
    r.origTrace,
    r.orderNo,
    r.origOrderNo,
    r.channelTxnNo,
    r.counterparty,
    r.counterpartyAccount,
    r.summary,
    r.balanceFen,
  ]);
}

/** The seed of a record's content hash (hash53 of its `f` text): the codes and amounts folded in,
 *  so the hash covers the record's whole normalised content (provenance excluded) and two exports
 *  of one transaction hash alike whatever their layout, encoding or file. A collision is checked
 *  against the stored row, never trusted. Written out rather than looped: this runs for every row. */
function contentSeed(codes: number, amount: number | null, fee: number | null, net: number | null): number {
  let seed = Math.imul(codes ^ (amount === null ? -1 : amount | 0), 0x9e3779b1);
  seed = Math.imul(seed ^ (fee === null ? -1 : fee | 0), 0x9e3779b1);
  return Math.imul(seed ^ (net === null ? -1 : net | 0), 0x9e3779b1);
}

/**
 * Writes row `i` of a packed batch, as insert parameters, into `out` from index `at`, with the
 * fingerprint of its content's first occurrence in a file. A row whose insert finds that taken is
 * given a later occurrence's by the inserting side (see RecordWriter): identical rows are rare,
 * and counting every row's content there took a tenth of the inserting thread's time (perf, by hand).
 */
export function putParams(out: unknown[], at: number, packed: PackedRows, i: number, importId: number): void {
  const { bytes, ends } = packed;
  const fieldsEnd = ends[i * 2]!;
  out[at + PARAM.importId] = importId;
  putNumbers(out, at + PARAM.rowNo, packed, i);
  out[at + PARAM.f] = bytes.subarray(rowStart(packed, i), fieldsEnd);
  out[at + PARAM.raw] = bytes.subarray(fieldsEnd, ends[i * 2 + 1]!);
}

/** Where packed row i's bytes (its fields JSON, then its cells) start; of row `count`, where the
 *  last row's end. */
export function rowStart({ ends }: PackedRows, i: number): number {
  return i === 0 ? 0 : ends[i * 2 - 1]!;
}

/** Row i's parameters for RUN_ROW_VALUES at out[at..]: its numbers, then where its fields JSON and
 *  its cells lie in the run's bytes (from 1, and lengths), which start at `start` in packed.bytes. */
export function putRunParams(out: unknown[], at: number, packed: PackedRows, i: number, start: number): void {
  const from = rowStart(packed, i);
  const fieldsEnd = packed.ends[i * 2]!;
  putNumbers(out, at, packed, i);
  out[at + ROW_NUMBERS] = from - start + 1;
  out[at + ROW_NUMBERS + 1] = fieldsEnd - from;
  out[at + ROW_NUMBERS + 2] = fieldsEnd - start + 1;
  out[at + ROW_NUMBERS + 3] = packed.ends[i * 2 + 1]! - fieldsEnd;
}

/** Row i's row number, fingerprint, codes, amount, fee and net, in the insert columns' order
 *  (row_no through net_fen), at out[at..at + ROW_NUMBERS). */
function putNumbers(out: unknown[], at: number, { numbers }: PackedRows, i: number): void {
  const n = i * NUMBERS;
  out[at] = numbers[n];
  out[at + 1] = fingerprint(numbers[n + 1]!, numbers[n + 2]!);
  out[at + 2] = numbers[n + 3];
  out[at + 3] = nullable(numbers[n + 4]!);
  out[at + 4] = nullable(numbers[n + 5]!);
  out[at + 5] = nullable(numbers[n + 6]!);
}

/** The content hash and wall-clock second of the row whose insert parameters (as putParams wrote
 *  them, with the first occurrence's fingerprint) are at `base`: the hash from the fields JSON the
 *  packer wrote and the amounts and codes, the second from the fingerprint. */
export function rowContent(params: ArrayLike<unknown>, base: number): { hash: number; seconds: number } {
  const f = textOf(params[base + PARAM.f]);
  const hash = hash53(
    f,
    contentSeed(
      params[base + PARAM.codes] as number,
      params[base + PARAM.amount] as number | null,
      params[base + PARAM.fee] as number | null,
      params[base + PARAM.net] as number | null,
    ),
  );
  return { hash, seconds: fingerprintSeconds(params[base + PARAM.fp] as number) };
}

/** A number where NaN stands for none (packed rows, record tables), as null for none. */
export const nullable = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** A fingerprint that collided with a different record, moved to another free value. */
export function rekeyedFingerprint(fp: number, row: ArrayLike<unknown>): number {
  return hash53(textOf(row[PARAM.f]), (fp % 1_000_003) + 1);
}

/** The stored columns that make up a record's content. */
export interface StoredContent {
  codes: number;
  amount_fen: number | null;
  fee_fen: number | null;
  net_fen: number | null;
  f: string;
}

/** Whether a stored row and a row's insert parameters hold the same record content. */
export function sameContent(stored: StoredContent, row: ArrayLike<unknown>): boolean {
  if (
    stored.codes !== row[PARAM.codes] ||
    stored.amount_fen !== row[PARAM.amount] ||
    stored.fee_fen !== row[PARAM.fee] ||
    stored.net_fen !== row[PARAM.net]
  )
    return false;
  // Compared as values: rows written before migration 5 list trailing nulls (the packer never does).
  const a = withoutTrailingNulls(JSON.parse(stored.f) as unknown[]);
  const b = JSON.parse(textOf(row[PARAM.f])) as unknown[];
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A text parameter, given as its UTF-8 bytes (putParams), as a string. */
function textOf(value: unknown): string {
  const bytes = value as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The list with its trailing nulls removed (in place). */
function withoutTrailingNulls<T>(values: T[]): T[] {
  let last = values.length;
  while (last > 0 && values[last - 1] === null) last--;
  values.length = last;
  return values;
}

const NO_FLAGS: RecordFlag[] = Object.freeze([]) as unknown as RecordFlag[];

/** A stored record: its normalised fields and where it came from. */
export interface StoredRecord extends NormalizedRecord {
  id: number;
  /** Content fingerprint: stable across re-imports of the same transaction. */
  fp: number;
  file: string;
  sheet: string | null;
  row: number;
  /** txnTime as wall-clock seconds since 2000-01-01 (no time zone), for time windows. */
  ts: number;
}

/** The columns recordFromStored reads, in its order, from record_rows aliased r. */
export const STORED_SELECT =
  'r.id, r.fp, r.row_no, r.import_id, r.codes, r.amount_fen, r.fee_fen, r.net_fen, r.f';

const same = (v: string | null): string | null => v;

/**
 * A stored row (the STORED_SELECT columns, raw) back as a record with its provenance; the original
 * cells stay in the row (cellsOfRow). `share` may swap a text that repeats across records
 * (terminal, merchant, day) for one kept copy. Written out field by field, in FIELD_COLUMNS order,
 * as one literal: this runs for every record a reconcile loads, and a literal gives every record
 * the same shape at once, where adding fields afterwards walks each record through six shapes. A
 * record without flags shares one frozen empty list.
 */
export function recordFromStored(
  c: readonly unknown[],
  file: { file_name: string; sheet: string | null },
  share: (v: string | null) => string | null = same,
): StoredRecord {
  const codes = c[4] as number;
  const v = JSON.parse(c[8] as string) as Array<string | null>;
  const txnTime = v[0] ?? null;
  return {
    id: c[0] as number,
    fp: c[1] as number,
    file: file.file_name,
    sheet: file.sheet,
    row: c[2] as number,
    ts: wallSeconds(txnTime),
    source: SOURCES[codes & 15]!,
    txnTime,
    clearDate: share(v[1] ?? null),
    merchantNo: share(v[2] ?? null),
    terminalNo: share(v[3] ?? null),
    cardNo: v[4] ?? null,
    cardLast4: share(v[5] ?? null),
    rrn: v[6] ?? null,
    trace: v[7] ?? null,
    batch: share(v[8] ?? null),
    merchantName: share(v[9] ?? null),
    authCode: v[10] ?? null,
    flags: v[11] ? (v[11].split(',') as RecordFlag[]) : NO_FLAGS,
    origRrn: v[12] ?? null,
    origTrace: v[13] ?? null,
    orderNo: v[14] ?? null,
    origOrderNo: v[15] ?? null,
    channelTxnNo: v[16] ?? null,
    counterparty: v[17] ?? null,
    counterpartyAccount: v[18] ?? null,
    summary: v[19] ?? null,
    balanceFen: (v[20] as unknown as number | undefined) ?? null,
    cardType: CARD_TYPES[(codes >> 4) & 15]!,
    txnType: TXN_TYPES[(codes >> 8) & 15]!,
    status: TXN_STATUSES[(codes >> 12) & 15]!,
    amountFen: c[5] as number | null,
    feeFen: c[6] as number | null,
    netFen: c[7] as number | null,
  };
}

/** A stored row's original cells (its fields JSON fills the cells stored as references). */
export function cellsOfRow(row: { raw: unknown; f: string }): string[] {
  return typeof row.raw === 'string' ? decodeCells(row.raw, row.f) : [];
}

const CELL_SEP = '\u001f';
const JSON_CELLS = '\u001e';
/** Starts a row stored as the text line it was, the line's delimiter next (written until
 *  migration 13; read still). */
const STORED_LINE = '\u001d';
/** Starts a row stored with references (writeReferencedCells), the line's delimiter next. */
const REFERENCED = '\u001c';
/** The cell that stands for the field at position k of the fields JSON: U+0080 + k, a control
 *  character no export writes as a cell of its own (one that does is stored whole). */
const REFERENCE_BASE = 0x80;
const REFERENCES = FIELD_COLUMNS.map((_, k) => String.fromCharCode(REFERENCE_BASE + k));
const isReference = (cell: string) =>
  cell.length === 1 &&
  cell.charCodeAt(0) >= REFERENCE_BASE &&
  cell.charCodeAt(0) < REFERENCE_BASE + REFERENCES.length;

/**
 * Writes a row's cells, none of which contains `delimiter`, as UTF-8 into `out` from `at`: a mark,
 * the delimiter, and the cells joined by it, each cell that holds a stored field exactly as the
 * fields JSON has it written as a one-character reference to that field instead. The cells then add
 * only what the fields do not say: the benchmark's terminal rows took 172 bytes as their text line
 * and take 87 so, its settlement rows 139 and 63. Written byte by byte rather than joined into a string
 * first, which cost the parsing threads more than the bytes saved. `refAt` gives, by cell, the
 * position of the field read from it. Returns where the cells end; −1 when a cell is itself a
 * reference's character (the caller then stores the row by encodeCells).
 */
export function writeReferencedCells(
  out: Uint8Array,
  at: number,
  cells: readonly string[],
  fields: ReadonlyArray<string | number | null>,
  refAt: readonly number[],
  delimiter: string,
): number {
  let o = at;
  out[o++] = REFERENCED.charCodeAt(0);
  const d = delimiter.charCodeAt(0);
  out[o++] = d;
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out[o++] = d;
    const cell = cells[i]!;
    const position = i < refAt.length ? refAt[i]! : -1;
    if (position >= 0 && cell.length > 1 && cell === fields[position]) {
      // U+0080 + position, in UTF-8.
      out[o++] = 0xc2;
      out[o++] = REFERENCE_BASE + position;
      continue;
    }
    if (isReference(cell)) return -1;
    for (let j = 0; j < cell.length; j++) {
      const c = cell.charCodeAt(j);
      if (c < 0x80) out[o++] = c;
      else if (c < 0xd800 || c >= 0xe000) o = writeBmpChar(out, o, c);
      else {
        const next = j + 1 < cell.length ? cell.charCodeAt(j + 1) : 0;
        if (c < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
          o = writeSurrogatePair(out, o, c, next);
          j++;
        } else {
          // A lone surrogate, written as Buffer.write writes it: U+FFFD.
          out[o++] = 0xef;
          out[o++] = 0xbf;
          out[o++] = 0xbd;
        }
      }
    }
  }
  return o;
}

/**
 * A row's original cells as stored: joined by U+001F, which no export uses — a fifth of the cost
 * of JSON.stringify. A row whose cells do contain U+001F is stored as U+001E followed by its JSON
 * instead, so every row reads back exactly.
 */
export function encodeCells(cells: readonly string[]): string {
  for (const c of cells) if (c.includes(CELL_SEP)) return JSON_CELLS + JSON.stringify(cells);
  // Only the first cell decides how a stored row is read back.
  if (
    cells[0]?.startsWith(JSON_CELLS) ||
    cells[0]?.startsWith(STORED_LINE) ||
    cells[0]?.startsWith(REFERENCED)
  )
    return JSON_CELLS + JSON.stringify(cells);
  return cells.join(CELL_SEP);
}

export function decodeCells(text: string, f: string): string[] {
  if (text.startsWith(REFERENCED)) {
    const fields = JSON.parse(f) as Array<string | number | null>;
    return text
      .slice(2)
      .split(text.charAt(1))
      .map((cell) => (isReference(cell) ? String(fields[cell.charCodeAt(0) - REFERENCE_BASE]) : cell));
  }
  if (text.startsWith(STORED_LINE)) return text.slice(2).split(text.charAt(1));
  return text.startsWith(JSON_CELLS) ? (JSON.parse(text.slice(1)) as string[]) : text.split(CELL_SEP);
}
