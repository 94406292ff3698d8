import { CARD_TYPES, type NormalizedRecord, SOURCES, TXN_STATUSES, TXN_TYPES } from '../../../shared/records';
import { CountTable } from './count-table';
import { fingerprint, hash53 } from './fingerprint';

// How a NormalizedRecord maps onto the `records` table, and how rows travel from the parsing
// thread to the inserting one. Per row the parsing thread writes numbers into a Float64Array,
// the short text fields into one string per batch, and the free text and original cells as UTF-8
// bytes; typed arrays and one string cross threads far cheaper than a structured clone of
// millions of small values, and the inserting thread binds bytes without converting Chinese text.

/** Vocabularies stored as their index in these lists (see the records migration). */
const CODES = { source: SOURCES, cardType: CARD_TYPES, txnType: TXN_TYPES, status: TXN_STATUSES } as const;
const codesOf = (words: readonly string[]) => new Map(words.map((w, i) => [w, i]));
const SOURCE_CODES = codesOf(SOURCES);
const CARD_CODES = codesOf(CARD_TYPES);
const TYPE_CODES = codesOf(TXN_TYPES);
const STATUS_CODES = codesOf(TXN_STATUSES);

const NUMBER_COLUMNS = [
  ['source', 'source'],
  ['card_type', 'cardType'],
  ['txn_type', 'txnType'],
  ['status', 'status'],
  ['amount_fen', 'amountFen'],
  ['fee_fen', 'feeFen'],
  ['net_fen', 'netFen'],
] as const satisfies ReadonlyArray<readonly [string, keyof NormalizedRecord]>;

const TEXT_COLUMNS = [
  ['txn_time', 'txnTime'],
  ['clear_date', 'clearDate'],
  ['merchant_no', 'merchantNo'],
  ['terminal_no', 'terminalNo'],
  ['card_no', 'cardNo'],
  ['card_last4', 'cardLast4'],
  ['rrn', 'rrn'],
  ['trace', 'trace'],
  ['batch', 'batch'],
  ['order_no', 'orderNo'],
  ['orig_rrn', 'origRrn'],
  ['orig_trace', 'origTrace'],
  ['orig_order_no', 'origOrderNo'],
] as const satisfies ReadonlyArray<readonly [string, keyof NormalizedRecord]>;

/** Free-text and rarely queried fields, kept together as JSON in the `extra` column. */
const EXTRA_FIELDS = [
  'merchantName',
  'authCode',
  'channelTxnNo',
  'counterparty',
  'counterpartyAccount',
  'summary',
  'balanceFen',
] as const satisfies ReadonlyArray<keyof NormalizedRecord>;

/** The insert statement's columns, in the order of its parameters. */
export const INSERT_COLUMNS = [
  'import_id',
  'row_no',
  'fp',
  ...NUMBER_COLUMNS.map(([col]) => col),
  ...TEXT_COLUMNS.map(([col]) => col),
  'flags',
  'extra',
  'raw',
] as const;
export const STRIDE = INSERT_COLUMNS.length;
const FIRST_NUMBER = 3;
const FIRST_TEXT = FIRST_NUMBER + NUMBER_COLUMNS.length;
/** Text slots per row: the text columns and flags. */
const TEXTS = TEXT_COLUMNS.length + 1;
const NUMBERS = 2 + NUMBER_COLUMNS.length;
const EXTRA_SLOT = STRIDE - 2;
const RAW_SLOT = STRIDE - 1;
const NULL_MARK = '\u0000';
const SEP = '\u001f';

/** One batch of rows, packed by the parsing thread for the inserting one. */
export interface PackedRows {
  count: number;
  /** Per row: row number, fingerprint, then the NUMBER_COLUMNS (NaN for null). */
  numbers: Float64Array;
  /** Per row, each text slot as its value (or NULL_MARK for null) followed by SEP. */
  text: string;
  /** UTF-8 of each row's extra fields (JSON) and original cells (encodeCells), located by `spans`. */
  bytes: Uint8Array;
  /** Per row: extra offset, extra length (-1 for none), raw offset, raw length. */
  spans: Int32Array;
}

/** Per-file state of the packer: how often each record content has been seen so far. */
export class RecordPacker {
  private readonly occurrences = new CountTable();

  pack(items: ReadonlyArray<{ row: number; raw: readonly string[]; record: NormalizedRecord }>): PackedRows {
    const numbers = new Float64Array(items.length * NUMBERS);
    const spans = new Int32Array(items.length * 4);
    let text = '';
    let json = '';
    let at = 0;
    for (let i = 0; i < items.length; i++) {
      const { row, raw, record: r } = items[i]!;
      const n = i * NUMBERS;
      numbers[n] = row;
      numbers[n + 2] = SOURCE_CODES.get(r.source)!;
      numbers[n + 3] = CARD_CODES.get(r.cardType)!;
      numbers[n + 4] = TYPE_CODES.get(r.txnType)!;
      numbers[n + 5] = STATUS_CODES.get(r.status)!;
      numbers[n + 6] = r.amountFen ?? Number.NaN;
      numbers[n + 7] = r.feeFen ?? Number.NaN;
      numbers[n + 8] = r.netFen ?? Number.NaN;
      const texts = rowTexts(r);
      const extra = extraJson(r);
      const key = contentKeyOf(numbers, n + 2, texts, extra);
      const h = hash53(key);
      const occ = this.occurrences.next(h);
      numbers[n + 1] = fingerprint(r.txnTime, occ === 0 ? h : hash53(key, occ));
      text += texts;
      if (extra === null) spans[i * 4 + 1] = -1;
      else {
        const len = Buffer.byteLength(extra);
        spans[i * 4] = at;
        spans[i * 4 + 1] = len;
        at += len;
        json += extra;
      }
      const cells = encodeCells(raw);
      const len = Buffer.byteLength(cells);
      spans[i * 4 + 2] = at;
      spans[i * 4 + 3] = len;
      at += len;
      json += cells;
    }
    const bytes = new Uint8Array(at);
    Buffer.from(bytes.buffer, 0, at).write(json, 'utf8');
    return { count: items.length, numbers, text, bytes, spans };
  }
}

/** The text slots of a record, written out field by field: this runs for every imported row. */
function rowTexts(r: NormalizedRecord): string {
  // A separator inside a value (never seen in a real export) would shift every later field.
  const t = (v: string | null) =>
    (v === null ? NULL_MARK : v.includes(SEP) ? v.replaceAll(SEP, ' ') : v) + SEP;
  return (
    t(r.txnTime) +
    t(r.clearDate) +
    t(r.merchantNo) +
    t(r.terminalNo) +
    t(r.cardNo) +
    t(r.cardLast4) +
    t(r.rrn) +
    t(r.trace) +
    t(r.batch) +
    t(r.orderNo) +
    t(r.origRrn) +
    t(r.origTrace) +
    t(r.origOrderNo) +
    t(r.flags.length > 0 ? r.flags.join(',') : null)
  );
}

function extraJson(r: NormalizedRecord): string | null {
  let o: Record<string, unknown> | null = null;
  for (const f of EXTRA_FIELDS) {
    if (r[f] !== null) {
      o ??= {};
      o[f] = r[f];
    }
  }
  return o === null ? null : JSON.stringify(o);
}

/** The normalised content of a row as one string (provenance excluded): two exports of the same
 *  transaction give the same key whatever their layout, encoding or file. */
function contentKeyOf(numbers: ArrayLike<number>, at: number, texts: string, extra: string | null): string {
  let key = '';
  for (let k = 0; k < NUMBER_COLUMNS.length; k++) key += `${numbers[at + k]},`;
  return `${key}${texts}${extra ?? ''}`;
}

/** Appends a packed batch's rows, as insert parameters, to `out`. */
export function appendParams(out: unknown[], packed: PackedRows, importId: number): void {
  const { numbers, text, bytes, spans } = packed;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  for (let i = 0; i < packed.count; i++) {
    const n = i * NUMBERS;
    out.push(importId, numbers[n], numbers[n + 1]);
    for (let k = 2; k < NUMBERS; k++) {
      const v = numbers[n + k]!;
      out.push(Number.isNaN(v) ? null : v);
    }
    for (let k = 0; k < TEXTS; k++) {
      const end = text.indexOf(SEP, pos);
      out.push(end === pos + 1 && text.charCodeAt(pos) === 0 ? null : text.slice(pos, end));
      pos = end + 1;
    }
    const extraLen = spans[i * 4 + 1]!;
    out.push(extraLen < 0 ? null : buf.subarray(spans[i * 4]!, spans[i * 4]! + extraLen));
    out.push(buf.subarray(spans[i * 4 + 2]!, spans[i * 4 + 2]! + spans[i * 4 + 3]!));
  }
}

/** The content key of a row given as insert parameters (at `base`) or as a stored row object. */
export function paramsContentKey(params: ArrayLike<unknown>, base: number): string {
  const numbers: number[] = [];
  for (let k = 0; k < NUMBER_COLUMNS.length; k++) {
    const v = params[base + FIRST_NUMBER + k];
    numbers.push(v === null || v === undefined ? Number.NaN : Number(v));
  }
  let texts = '';
  for (let k = 0; k < TEXTS; k++) {
    const v = params[base + FIRST_TEXT + k];
    texts += (v === null || v === undefined ? NULL_MARK : String(v)) + SEP;
  }
  const extra = params[base + EXTRA_SLOT];
  return contentKeyOf(
    numbers,
    0,
    texts,
    extra instanceof Uint8Array ? Buffer.from(extra).toString('utf8') : null,
  );
}

/** A stored row (as better-sqlite3 returns it) in insert-parameter order. */
export function storedParams(row: Record<string, unknown>): unknown[] {
  return INSERT_COLUMNS.map((c) => row[c] ?? null);
}

export const PARAM = { rowNo: 1, fp: 2, raw: RAW_SLOT } as const;

/** The stored row back as a NormalizedRecord (the original cells stay in the row: cellsOfRow). */
export function recordFromRow(row: Record<string, unknown>): NormalizedRecord {
  const r: Record<string, unknown> = Object.create(null);
  for (const [col, key] of NUMBER_COLUMNS) {
    const words: readonly string[] | undefined = (CODES as Record<string, readonly string[]>)[key];
    r[key] = words ? words[row[col] as number] : (row[col] ?? null);
  }
  for (const [col, key] of TEXT_COLUMNS) r[key] = row[col] ?? null;
  const extra =
    row.extra instanceof Uint8Array
      ? (JSON.parse(Buffer.from(row.extra).toString('utf8')) as Record<string, unknown>)
      : {};
  for (const f of EXTRA_FIELDS) r[f] = extra[f] ?? null;
  r.flags = typeof row.flags === 'string' && row.flags !== '' ? row.flags.split(',') : [];
  return r as unknown as NormalizedRecord;
}

/** A stored row's original cells. */
export function cellsOfRow(row: { raw?: unknown }): string[] {
  return row.raw instanceof Uint8Array ? decodeCells(Buffer.from(row.raw).toString('utf8')) : [];
}

const CELL_SEP = '\u001f';
const JSON_CELLS = '\u001e';

/**
 * A row's original cells as stored: joined by U+001F, which no export uses — a fifth of the cost
 * of JSON.stringify, which dominated packing. A row whose cells do contain U+001F is stored as
 * U+001E followed by its JSON instead, so every row reads back exactly.
 */
export function encodeCells(cells: readonly string[]): string {
  for (const c of cells)
    if (c.includes(CELL_SEP) || c.startsWith(JSON_CELLS)) return JSON_CELLS + JSON.stringify(cells);
  return cells.join(CELL_SEP);
}

export function decodeCells(text: string): string[] {
  return text.startsWith(JSON_CELLS) ? (JSON.parse(text.slice(1)) as string[]) : text.split(CELL_SEP);
}
