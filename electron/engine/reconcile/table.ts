import type { NormalizedRecord } from '../../../shared/records';
import { wallSecondsIn } from '../store/fingerprint';
import { FIELD_COLUMNS, packCodes, SOURCE } from '../store/record-columns';
import { digitsAt } from '../time';
import type { ReconRecord } from './types';

// The records a reconcile works on, as columns. Two million records as objects took about a
// gigabyte and most of a reconcile's time to build; as typed arrays they take about a third of that
// (both measured by hand),
// and the loader fills them straight from the stored rows without making an object per record.
// Identifiers become number keys that compare equal exactly when their texts do: a digit string of
// up to 14 digits is its value and its length (so leading zeros count), a masked card number its
// digits and shape, anything else the negative of its place in the table's list of texts.
// Merchants, terminals and dates are places in that list too. The full record (provenance, names)
// is fetched only for what a mismatch names.

/** No text, no time of day. */
export const NONE = -1;
/**
 * No identifier: a key column's zero, which no key is (a digit string's ends in its length, 1 to
 * 14, a masked card number's in 15, a text's is negative). A fresh column holds it already, so a
 * row's keys are written only where it has them, and the pages of a column that few rows fill
 * (original RRN and trace, order numbers) are not written to, which fresh memory leaves unfaulted:
 * each megabyte first touched cost about 2 ms of this machine's kernel time (perf).
 */
export const NO_KEY = 0;

export interface RecordTable {
  length: number;
  id: Int32Array;
  source: Uint8Array;
  cardType: Uint8Array;
  txnType: Uint8Array;
  status: Uint8Array;
  /** txnTime as wall-clock seconds since 2000 (0: none), as StoredRecord.ts. */
  ts: Int32Array;
  /** Text ids of txnTime's date (its first ten characters) and of clearDate. */
  date: Int32Array;
  clearDate: Int32Array;
  /** txnTime's time of day in seconds when it is 'YYYY-MM-DD HH:MM:SS'; NONE when it is no more
   *  than its date; else −2 − the text id of what follows the date (the separator included), so
   *  that the text is always the date's and this one's. */
  clock: Int32Array;
  merchant: Int32Array;
  terminal: Int32Array;
  /** Amounts in fen; NaN: none. */
  amount: Float64Array;
  fee: Float64Array;
  net: Float64Array;
  /** Identifier keys (see above); NO_KEY: none. */
  rrn: Float64Array;
  trace: Float64Array;
  batch: Float64Array;
  cardNo: Float64Array;
  cardLast4: Float64Array;
  orderNo: Float64Array;
  origRrn: Float64Array;
  origTrace: Float64Array;
  origOrderNo: Float64Array;
  /** The texts that ids point at, and the id of each. */
  texts: string[];
  ids: Map<string, number>;
  /** Bank lines' 对方户名 and 摘要, by row (bank lines are few). */
  bankText: Map<number, { counterparty: string | null; summary: string | null }>;
}

/**
 * The rows of `rows` that `keeps` accepts, in order. Not TypedArray.prototype.filter: V8's gathers
 * the kept rows in a growing list of JS values before copying them out, and over a million rows it
 * took about 60 ms a call, against 6 ms for this loop (by hand); a reconcile filters a million rows
 * eight times.
 */
export function rowsWhere(rows: Int32Array, keeps: (row: number) => boolean): Int32Array {
  const kept = new Int32Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (keeps(row)) kept[n++] = row;
  }
  return kept.slice(0, n);
}

/** The text of an id, or null. */
export function textOf(table: RecordTable, id: number): string | null {
  return id === NONE ? null : table.texts[id]!;
}

/** The text of an identifier key (the inverse of TableBuilder's key), or null. */
export function keyText(table: RecordTable, key: number): string | null {
  if (key === NO_KEY) return null;
  if (key < 0) return table.texts[-1 - key]!;
  const kind = key % 16;
  const value = (key - kind) / 16;
  if (kind !== 15) return String(value).padStart(kind, '0');
  // A masked card number: (shape * 10,000 + suffix) * 16 + 15, shape as maskedCardKey builds it.
  const suffix = value % 10_000;
  let shape = (value - suffix) / 10_000;
  const suffixLength = (shape % 4) + 1;
  shape = (shape - suffixLength + 1) / 4;
  const stars = (shape % 16) + 1;
  shape = (shape - stars + 1) / 16;
  const prefixLength = (shape % 8) + 1;
  const prefix = (shape - prefixLength + 1) / 8;
  return `${String(prefix).padStart(prefixLength, '0')}${'*'.repeat(stars)}${String(suffix).padStart(suffixLength, '0')}`;
}

/** A row's txnTime as it was stored, or null. */
export function timeText(table: RecordTable, row: number): string | null {
  const date = table.date[row]!;
  if (date === NONE) return null;
  const clock = table.clock[row]!;
  if (clock === NONE) return table.texts[date]!;
  if (clock < NONE) return table.texts[date]! + table.texts[-2 - clock]!;
  CLOCKS[clock] ??= clockText(clock);
  return `${table.texts[date]!} ${CLOCKS[clock]}`;
}

/** 'HH:MM:SS' of a number of seconds into the day. */
export function clockText(seconds: number): string {
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** Every time of day's text, made once (the review lines write a million of them). */
const CLOCKS: Array<string | undefined> = new Array(86_400);

/** The id of a text, given one if it has none yet. */
export function idOf(table: RecordTable, text: string): number {
  let id = table.ids.get(text);
  if (id === undefined) {
    id = table.texts.length;
    table.texts.push(text);
    table.ids.set(text, id);
  }
  return id;
}

/** The record fields a table keeps as text ids, and the columns they fill. */
const TEXT_COLUMNS = { clearDate: 'clearDate', merchantNo: 'merchant', terminalNo: 'terminal' } as const;
/** The identifiers a table keeps as keys, each in the column of its name. */
const KEY_COLUMNS = [
  'cardNo',
  'cardLast4',
  'rrn',
  'trace',
  'batch',
  'origRrn',
  'origTrace',
  'orderNo',
  'origOrderNo',
] as const;
type KeptField = 'txnTime' | keyof typeof TEXT_COLUMNS | (typeof KEY_COLUMNS)[number];
const KEPT: readonly KeptField[] = ['txnTime', ...(Object.keys(TEXT_COLUMNS) as KeptField[]), ...KEY_COLUMNS];
/** A field's position in a stored row's fields JSON (FIELD_COLUMNS). */
const positionOf = (name: keyof NormalizedRecord) => FIELD_COLUMNS.findIndex(([, field]) => field === name);
/** Each kept field's position in a stored row's fields JSON (FIELD_COLUMNS), in that order. */
const POSITIONS = KEPT.map((name) => ({ name, at: positionOf(name) })).sort((x, y) => x.at - y.at);
const TXN_TIME = positionOf('txnTime');
/** Bank lines' names, which the table keeps as they are (bankText). */
const COUNTERPARTY = positionOf('counterparty');
const SUMMARY = positionOf('summary');
/** The last position a stored row's fields are read up to. */
const LAST = POSITIONS.at(-1)!.at;

/** A table's columns, without its texts. */
export type TableColumns = Omit<RecordTable, 'length' | 'texts' | 'ids' | 'bankText'>;

/** Each column's kind of typed array, one value per row: the one list tableColumns allocates from
 *  and closeUp moves. */
const COLUMN_ARRAYS = {
  id: Int32Array,
  source: Uint8Array,
  cardType: Uint8Array,
  txnType: Uint8Array,
  status: Uint8Array,
  ts: Int32Array,
  date: Int32Array,
  clearDate: Int32Array,
  clock: Int32Array,
  merchant: Int32Array,
  terminal: Int32Array,
  amount: Float64Array,
  fee: Float64Array,
  net: Float64Array,
  ...(Object.fromEntries(KEY_COLUMNS.map((name) => [name, Float64Array])) as Record<
    (typeof KEY_COLUMNS)[number],
    Float64ArrayConstructor
  >),
} satisfies { [K in keyof TableColumns]: { new (buffer: ArrayBufferLike): TableColumns[K] } };
const COLUMN_NAMES = Object.keys(COLUMN_ARRAYS) as Array<keyof TableColumns>;

/**
 * Columns for `capacity` rows, zeroed; `shared`: in memory another thread can fill too. Not filled
 * with their nones: the builder writes each row as it adds it, on the thread that reads it (filling
 * two million rows' columns up front took 0.9 s, by hand, before either thread could start), its
 * keys only where it has them (NO_KEY).
 */
export function tableColumns(capacity: number, shared = false): TableColumns {
  const memory = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const kinds = Object.entries(COLUMN_ARRAYS) as Array<
    [string, { new (buffer: ArrayBufferLike): unknown; BYTES_PER_ELEMENT: number }]
  >;
  return Object.fromEntries(
    kinds.map(([name, Kind]) => [name, new Kind(memory(capacity * Kind.BYTES_PER_ELEMENT))]),
  ) as unknown as TableColumns;
}

/** Fills a table row by row, from records or from stored rows, into columns fresh from tableColumns:
 *  each row once (a key it does not write stays NO_KEY, so a row is never written twice, nor added
 *  after closeUp, which leaves moved rows' old places as they were). */
export class TableBuilder {
  private readonly t: RecordTable;
  private row: number;
  /** The last text given an id per field (consecutive rows mostly repeat a terminal or a day). */
  private readonly lastText: string[] = [];
  private readonly lastId: number[] = [];
  /** The column each position of a stored row's fields fills, as text ids or as keys. */
  private readonly textColumn: Array<Int32Array | undefined> = [];
  private readonly keyColumn: Array<Float64Array | undefined> = [];
  /** The fields (a bit per position) of which some row's key is a text's (negative): the only key
   *  columns whose keys another builder's closeUp has to renumber. */
  textKeys = 0;

  /** Fills `columns` (from tableColumns), with texts of its own. */
  constructor(columns: TableColumns) {
    this.t = { ...columns, length: 0, texts: [], ids: new Map(), bankText: new Map() };
    this.row = 0;
    for (const { name, at } of POSITIONS) {
      if (name in TEXT_COLUMNS) this.textColumn[at] = this.t[TEXT_COLUMNS[name as keyof typeof TEXT_COLUMNS]];
      else if (name !== 'txnTime') this.keyColumn[at] = this.t[name as (typeof KEY_COLUMNS)[number]];
    }
  }

  /** Goes on filling from row `row` (a block of the records, table-part.ts). */
  seek(row: number): void {
    this.row = row;
  }

  /**
   * Closes up a table read in blocks by this builder and another, whose texts were its own (a
   * worker's, loadTable): each block's rows move up to follow the block before, and the other
   * builder's text ids become this builder's (`textKeys`: the other builder's).
   */
  closeUp(
    blocks: ReadonlyArray<{ from: number; rows: number; byWorker: boolean }>,
    texts: readonly string[],
    bankText: RecordTable['bankText'],
    textKeys: number,
  ): void {
    const t = this.t;
    const ids = Int32Array.from(texts, (text) => idOf(t, text));
    // Bank lines are few: each block looks through all of them.
    const banks = [...t.bankText, ...bankText];
    t.bankText.clear();
    let to = 0;
    for (const { from, rows, byWorker } of blocks) {
      const end = from + rows;
      if (byWorker) this.takeTexts(from, end, ids, textKeys);
      if (from !== to) for (const name of COLUMN_NAMES) t[name].copyWithin(to, from, end);
      for (const [row, text] of banks) if (row >= from && row < end) t.bankText.set(row - from + to, text);
      to += rows;
    }
    this.row = to;
  }

  /**
   * Rows [from, end) filled with another builder's text ids (`ids`: this builder's id of each),
   * whose keys were texts' in the fields of `textKeys` only. The other key columns are not read
   * through: most hold numbers only, and reading the pages of those nearly empty, never touched
   * before, took most of the 0.2 s this took over the benchmark's million rows (perf).
   */
  private takeTexts(from: number, end: number, ids: Int32Array, textKeys: number): void {
    const t = this.t;
    for (const column of [t.date, ...Object.values(TEXT_COLUMNS).map((name) => t[name])])
      for (let i = from; i < end; i++) if (column[i] !== NONE) column[i] = ids[column[i]!]!;
    for (let i = from; i < end; i++) if (t.clock[i]! < NONE) t.clock[i] = -2 - ids[-2 - t.clock[i]!]!;
    this.keyColumn.forEach((column, k) => {
      if (!column || (textKeys & (1 << k)) === 0) return;
      for (let i = from; i < end; i++) if (column[i]! < 0) column[i] = -1 - ids[-1 - column[i]!]!;
    });
  }

  /** Adds a record (tests, and callers that hold records already). */
  addRecord(r: ReconRecord): void {
    const i = this.begin(r.id, packCodes(r), r.amountFen, r.feeFen, r.netFen);
    for (const { name, at } of POSITIONS) {
      const v = r[name];
      if (v !== null) this.field(i, at, v, 0, v.length);
    }
    this.t.ts[i] = r.ts;
    if (r.source === 'statement')
      this.t.bankText.set(i, { counterparty: r.counterparty, summary: r.summary });
  }

  /**
   * Adds a stored row, read as one line of text (STORED_LINE): id, codes, amount, fee and net
   * as integers ('' for none), each followed by a space, then the fields JSON. The fields are read
   * where they stand in the JSON text; a row with an escape in it, or a bank line (whose names the
   * table keeps), is parsed whole. Returns the row's id.
   */
  addStoredLine(line: string): number {
    this.at = 0;
    // Arguments are evaluated in order: id, codes, amount, fee, net.
    const i = this.begin(
      this.integer(line)!,
      this.integer(line)!,
      this.integer(line),
      this.integer(line),
      this.integer(line),
    );
    const id = this.t.id[i]!;
    let p = this.at;
    const bank = this.t.source[i] === SOURCE.statement;
    if (bank || line.charCodeAt(p) !== 91 || line.includes('\\', p)) {
      const v = JSON.parse(line.slice(p)) as Array<string | number | null>;
      for (const { at } of POSITIONS) {
        const s = v[at];
        if (typeof s === 'string') this.field(i, at, s, 0, s.length);
      }
      if (bank)
        this.t.bankText.set(i, {
          counterparty: (v[COUNTERPARTY] as string | undefined) ?? null,
          summary: (v[SUMMARY] as string | undefined) ?? null,
        });
      return id;
    }
    // Compact JSON of strings and nulls (a number last, the balance): ["…",null,"…",…]
    p++;
    for (let k = 0; k <= LAST && p < line.length; k++) {
      if (line.charCodeAt(p) === 34) {
        const end = line.indexOf('"', p + 1);
        this.field(i, k, line, p + 1, end);
        p = end + 2;
      } else {
        const end = line.indexOf(',', p);
        if (end === -1) break;
        p = end + 1;
      }
    }
    return id;
  }

  /** Where addStoredLine has read its line to. */
  private at = 0;

  /** The integer SQLite wrote at `at` (an optional minus sign, then digits) up to the next space
   *  (none: null), `at` moved past both. Read in one pass: finding the space first and then reading
   *  the digits, two million rows took 1.74–1.79 s to add against 1.60–1.69 s (by hand). */
  private integer(line: string): number | null {
    let i = this.at;
    let c = line.charCodeAt(i);
    if (c === 32) {
      this.at = i + 1;
      return null;
    }
    const negative = c === 45;
    if (negative) c = line.charCodeAt(++i);
    let v = 0;
    while (c >= 48 && c <= 57) {
      v = v * 10 + c - 48;
      c = line.charCodeAt(++i);
    }
    this.at = i + 1;
    return negative ? -v : v;
  }

  finish(): RecordTable {
    this.t.length = this.row;
    return this.t;
  }

  private begin(
    id: number,
    codes: number,
    amount: number | null,
    fee: number | null,
    net: number | null,
  ): number {
    const t = this.t;
    const i = this.row++;
    t.id[i] = id;
    t.source[i] = codes & 15;
    t.cardType[i] = (codes >> 4) & 15;
    t.txnType[i] = (codes >> 8) & 15;
    t.status[i] = (codes >> 12) & 15;
    t.amount[i] = amount ?? Number.NaN;
    t.fee[i] = fee ?? Number.NaN;
    t.net[i] = net ?? Number.NaN;
    // The other columns' nones, which the row's fields then replace (keys are NO_KEY already).
    t.ts[i] = 0;
    t.date[i] = NONE;
    t.clearDate[i] = NONE;
    t.clock[i] = NONE;
    t.merchant[i] = NONE;
    t.terminal[i] = NONE;
    return i;
  }

  /** The field at position k of row i: the text s[a..b). */
  private field(i: number, k: number, s: string, a: number, b: number): void {
    const t = this.t;
    if (k === TXN_TIME) {
      t.ts[i] = wallSecondsIn(s, a, b);
      t.date[i] = this.textId(k, s, a, Math.min(b, a + 10));
      t.clock[i] = b - a <= 10 ? NONE : this.clockOf(s, a, b);
      return;
    }
    const text = this.textColumn[k];
    if (text) text[i] = this.textId(k, s, a, b);
    else {
      const key = this.keyColumn[k];
      if (key) {
        const value = this.key(s, a, b);
        key[i] = value;
        if (value < 0) this.textKeys |= 1 << k;
      }
    }
  }

  /** An identifier's key: a digit string of up to 14 digits is its value and length, anything
   *  else the negative of its text id (minus one). */
  private key(s: string, a: number, b: number): number {
    const length = b - a;
    if (length > 0 && length <= 14) {
      let v = 0;
      let k = a;
      for (; k < b; k++) {
        const d = s.charCodeAt(k) - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (k === b) return v * 16 + length;
    }
    const masked = maskedCardKey(s, a, b);
    return masked ?? -1 - this.intern(s.slice(a, b));
  }

  /** The time of day of the time s[a..b) (see RecordTable.clock). */
  private clockOf(s: string, a: number, b: number): number {
    if (
      b - a === 19 &&
      s.charCodeAt(a + 10) === 32 &&
      s.charCodeAt(a + 13) === 58 &&
      s.charCodeAt(a + 16) === 58
    ) {
      const h = digitsAt(s, a + 11, 2);
      const m = digitsAt(s, a + 14, 2);
      const sec = digitsAt(s, a + 17, 2);
      if (h >= 0 && m >= 0 && sec >= 0) return h * 3600 + m * 60 + sec;
    }
    return -2 - this.intern(s.slice(a + 10, b));
  }

  /** The id of s[a..b), remembering the last one of field k. */
  private textId(k: number, s: string, a: number, b: number): number {
    const last = this.lastText[k];
    if (last !== undefined && last.length === b - a && s.startsWith(last, a)) return this.lastId[k]!;
    const text = s.slice(a, b);
    const id = this.intern(text);
    this.lastText[k] = text;
    this.lastId[k] = id;
    return id;
  }

  private intern(text: string): number {
    return idOf(this.t, text);
  }
}

/**
 * A masked card number (up to 8 digits, 1 to 16 asterisks, 1 to 4 digits: 625274******9810) as a
 * key of its own kind: the digit-string keys end in a length of 1 to 14 in their low four bits,
 * these in 15. Cards are the identifier most often unique, so each one spared a text saves most.
 */
function maskedCardKey(s: string, a: number, b: number): number | null {
  let k = a;
  let prefix = 0;
  while (k < b && k - a < 9 && isDigit(s.charCodeAt(k))) prefix = prefix * 10 + s.charCodeAt(k++) - 48;
  const prefixLength = k - a;
  const starsFrom = k;
  while (k < b && s.charCodeAt(k) === 42) k++;
  const stars = k - starsFrom;
  const suffixLength = b - k;
  let suffix = 0;
  for (; k < b && isDigit(s.charCodeAt(k)); k++) suffix = suffix * 10 + s.charCodeAt(k) - 48;
  if (k !== b || prefixLength < 1 || prefixLength > 8 || stars < 1 || stars > 16) return null;
  if (suffixLength < 1 || suffixLength > 4) return null;
  const shape = ((prefix * 8 + prefixLength - 1) * 16 + stars - 1) * 4 + suffixLength - 1;
  return (shape * 10_000 + suffix) * 16 + 15;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A table of records held as objects. */
export function tableOf(records: readonly ReconRecord[]): RecordTable {
  const builder = new TableBuilder(tableColumns(records.length));
  for (const r of records) builder.addRecord(r);
  return builder.finish();
}
