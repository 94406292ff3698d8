import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database';
import { SOURCE } from '../store/record-columns';
import { SALE } from './match';
import { clockText, keyText, NO_KEY, NONE, type RecordTable, textOf, timeText } from './table';

// The review table's lines: one per matched group — terminal | settlement | bank — with empty
// sides where a record is missing, in time order. A run stores them as a few columns of numbers
// (one blob each) rather than a million rows: writing those rows and their three indexes took 2.6 s
// of every reconcile over two million records (by hand), and the screens that read them (the
// review table, the overview) filter and count a million numbers in milliseconds. The columns are
// read once per connection and run, and kept.

/** A line's flags. */
export const LINE = {
  /** A record of the line is named by a mismatch of the run. */
  problem: 1,
  /** The sale waits for its settlement day. */
  pending: 2,
  /** The terminal record is money taken from the card holder (a sale, a completed pre-auth, unknown). */
  sale: 4,
} as const;

export interface ReviewLines {
  length: number;
  /** Record ids of each side; 0: none. */
  tid: Int32Array;
  sid: Int32Array;
  bid: Int32Array;
  /** Fen; NaN: none. */
  amount: Float64Array;
  /** Places in `texts`; NONE: none. */
  merchant: Int32Array;
  terminal: Int32Array;
  card4: Int32Array;
  /**
   * The line's time: YYYYMMDDhhmmss for a time written 'YYYY-MM-DD HH:MM:SS', NONE for no time,
   * else −2 − its place in `texts`.
   */
  time: Float64Array;
  flags: Uint8Array;
  texts: string[];
}

/** The columns stored one blob each, with their kinds of typed array. */
const COLUMNS = {
  tid: Int32Array,
  sid: Int32Array,
  bid: Int32Array,
  amount: Float64Array,
  merchant: Int32Array,
  terminal: Int32Array,
  card4: Int32Array,
  time: Float64Array,
  flags: Uint8Array,
} as const;
type ColumnName = keyof typeof COLUMNS;
const COLUMN_NAMES = Object.keys(COLUMNS) as ColumnName[];

/** A run's records, as buildReviewLines reads them. */
export interface ReviewSource {
  table: RecordTable;
  counterpart: Int32Array;
}

/**
 * The lines of a run, from its table: each terminal record (its settlement beside it when paired),
 * each settlement line left unpaired and each bank line, in the order of their time texts and then
 * their record ids (the order a page reads them in), no time first. `flagged` are the records (ids)
 * of the run's mismatches, `pending` the sales waiting for their settlement day.
 */
export function buildReviewLines(
  { table: t, counterpart }: ReviewSource,
  flagged: ReadonlySet<number>,
  pending: ReadonlySet<number>,
): ReviewLines {
  const texts: string[] = [];
  const places = new Map<string, number>();
  const place = (text: string | null) =>
    text === null ? NONE : memo(places, text, () => texts.push(text) - 1);
  // Each of the table's texts placed once, not once per line, and each date's day number worked
  // out once: kept by text id in arrays, which a million lines look up several times each faster
  // than maps (UNKNOWN: not yet).
  const textPlaces = new Int32Array(t.texts.length).fill(UNKNOWN);
  const placeOf = (id: number) => {
    if (id === NONE) return NONE;
    if (textPlaces[id] === UNKNOWN) textPlaces[id] = place(textOf(t, id));
    return textPlaces[id]!;
  };
  const dayNumbers = new Float64Array(t.texts.length).fill(UNKNOWN);
  const dayNumber = (date: number) => {
    if (dayNumbers[date] === UNKNOWN) dayNumbers[date] = dayNumberOf(textOf(t, date)!);
    return dayNumbers[date]!;
  };
  // And each card's last four digits, from their key, placed once: by key in an array for the keys
  // below DIGIT_KEYS (those of every digit string of up to four digits), in a map for any other.
  const digitCards = new Int32Array(DIGIT_KEYS).fill(UNKNOWN);
  const otherCards = new Map<number, number>();
  const cardPlace = (key: number) => {
    if (key === NO_KEY) return NONE;
    if (key < 0 || key >= DIGIT_KEYS) return memo(otherCards, key, () => place(keyText(t, key)));
    if (digitCards[key] === UNKNOWN) digitCards[key] = place(keyText(t, key));
    return digitCards[key]!;
  };
  // The records flagged and pending, marked by id.
  let top = 0;
  for (const ids of [flagged, pending]) for (const id of ids) top = Math.max(top, id);
  const marks = new Uint8Array(top + 1);
  for (const id of flagged) marks[id]! |= LINE.problem;
  for (const id of pending) marks[id]! |= LINE.pending;
  const marked = (id: number, mark: number) => id < marks.length && (marks[id]! & mark) !== 0;

  // A row per line: a settlement line paired with a terminal record shares its line. Counted, then
  // written into a list of that size, not pushed: a list grown row by row was copied into fresh
  // memory again and again, 0.17 s of the benchmark's reconcile in page faults (perf). A list, not a
  // typed array: V8 sorts a list by runs, and the lines are mostly in time order already.
  const paired = (r: number) => t.source[r] === SOURCE.settlement && counterpart[r] !== -1;
  let n = 0;
  for (let r = 0; r < t.length; r++) if (!paired(r)) n++;
  const rows = new Array<number>(n);
  // Each line's time (ReviewLines.time), by row: a number for a time written
  // 'YYYY-MM-DD HH:MM:SS', which orders such times as their texts do.
  const timeOf = new Float64Array(t.length);
  for (let r = 0, at = 0; r < t.length; r++) {
    if (paired(r)) continue;
    rows[at++] = r;
    const date = t.date[r]!;
    const day = date === NONE ? Number.NaN : dayNumber(date);
    const clock = t.clock[r]!;
    timeOf[r] =
      date === NONE
        ? NONE
        : clock >= 0 && !Number.isNaN(day)
          ? day * 1_000_000 +
            Math.floor(clock / 3600) * 10_000 +
            (Math.floor(clock / 60) % 60) * 100 +
            (clock % 60)
          : -2 - place(timeText(t, r));
  }
  rows.sort((a, b) => {
    const [x, y] = [timeOf[a]!, timeOf[b]!];
    // Numbers and no time (NONE, below every number) compare as numbers; any other time as text.
    if (x >= NONE && y >= NONE) return x - y || t.id[a]! - t.id[b]!;
    const [ta, tb] = [timeTextOf(x, texts), timeTextOf(y, texts)];
    if (ta !== tb) return ta === null ? -1 : tb === null ? 1 : ta < tb ? -1 : 1;
    return t.id[a]! - t.id[b]!;
  });

  const lines: ReviewLines = {
    length: n,
    ...(Object.fromEntries(COLUMN_NAMES.map((name) => [name, new COLUMNS[name](n)])) as Omit<
      ReviewLines,
      'length' | 'texts'
    >),
    texts,
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const id = t.id[r]!;
    const other = counterpart[r]!;
    const source = t.source[r]!;
    const tid = source === SOURCE.terminal ? id : 0;
    const sid = source === SOURCE.settlement ? id : other === -1 ? 0 : t.id[other]!;
    lines.tid[i] = tid;
    lines.sid[i] = sid;
    lines.bid[i] = source === SOURCE.statement ? id : 0;
    lines.amount[i] = t.amount[r]!;
    lines.merchant[i] = placeOf(t.merchant[r]!);
    lines.terminal[i] = placeOf(t.terminal[r]!);
    lines.card4[i] = cardPlace(t.cardLast4[r]!);
    lines.time[i] = timeOf[r]!;
    lines.flags[i] =
      (marked(id, LINE.problem) || (sid !== 0 && marked(sid, LINE.problem)) ? LINE.problem : 0) |
      (tid !== 0 && marked(tid, LINE.pending) ? LINE.pending : 0) |
      (tid !== 0 && SALE[t.txnType[r]!] === 1 ? LINE.sale : 0);
  }
  return lines;
}

/** Not worked out yet: no text place nor day number. */
const UNKNOWN = -3;
/** Above the key of every digit string of up to four digits (its value × 16 + its length). */
const DIGIT_KEYS = 10_000 * 16;

/** A map's value for a key, made and kept the first time it is asked for. */
function memo<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** YYYYMMDD of a date written 'YYYY-MM-DD', else NaN. */
function dayNumberOf(date: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? Number(date.replaceAll('-', '')) : Number.NaN;
}

/** Stores a run's lines in place of the last run's, inside the run's transaction. */
export function saveReviewLines(db: Db, lines: ReviewLines): void {
  db.prepare('DELETE FROM review_lines').run();
  const put = db.prepare('INSERT INTO review_lines (name, data) VALUES (?, ?)');
  for (const name of COLUMN_NAMES) {
    const column = lines[name];
    put.run(name, Buffer.from(column.buffer, column.byteOffset, column.byteLength));
  }
  put.run('texts', Buffer.from(JSON.stringify(lines.texts)));
  // What tells a reader that its copy of the lines is another run's.
  put.run('stamp', randomBytes(16));
}

/** What a connection keeps of the lines it read last: the stamp of the run that wrote them, and
 *  what was worked out from them once asked for. */
interface Kept {
  stamp: string;
  lines: ReviewLines;
  /** The lines in order of amount (linesByAmount). */
  byAmount?: Int32Array;
  /** Each matched record's counterpart (matchedRecords). */
  matched?: Counterparts;
}
const kept = new WeakMap<Db, Kept>();

/** The last run's lines (none before a first run). */
export function reviewLines(db: Db): ReviewLines {
  return keptLines(db).lines;
}

function keptLines(db: Db): Kept {
  const stamp = db.prepare("SELECT hex(data) FROM review_lines WHERE name = 'stamp'").pluck().get() as
    | string
    | undefined;
  const known = kept.get(db);
  if (known && known.stamp === (stamp ?? '')) return known;
  const blobs = new Map(
    (db.prepare('SELECT name, data FROM review_lines').all() as Array<{ name: string; data: Buffer }>).map(
      (b) => [b.name, b.data],
    ),
  );
  const columns = Object.fromEntries(
    COLUMN_NAMES.map((name) => [name, typedArray(COLUMNS[name], blobs.get(name))]),
  ) as unknown as Omit<ReviewLines, 'length' | 'texts'>;
  const texts = blobs.get('texts');
  const read: Kept = {
    stamp: stamp ?? '',
    lines: {
      ...columns,
      length: columns.tid.length,
      texts: texts ? (JSON.parse(texts.toString()) as string[]) : [],
    },
  };
  kept.set(db, read);
  return read;
}

/** A stored column as its typed array (empty when there is none). A blob's bytes are copied when
 *  they do not start on an element's boundary, which a typed array requires. Stored in the
 *  machine's byte order: little-endian on every platform the app is built for. */
function typedArray(
  Kind: Int32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor,
  blob: Buffer | undefined,
): Int32Array | Float64Array | Uint8Array {
  if (!blob) return new Kind(0);
  const size = Kind.BYTES_PER_ELEMENT;
  const bytes = blob.byteOffset % size === 0 ? blob : Uint8Array.prototype.slice.call(blob);
  return new Kind(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / size);
}

/** A line's time as it was stored, or null. */
export function lineTime(lines: ReviewLines, i: number): string | null {
  return timeTextOf(lines.time[i]!, lines.texts);
}

/** The text of a line's time (ReviewLines.time), or null. */
function timeTextOf(time: number, texts: readonly string[]): string | null {
  if (time === NONE) return null;
  if (time < NONE) return texts[-2 - time]!;
  const day = Math.floor(time / 1_000_000);
  const clock = time % 1_000_000;
  const seconds = Math.floor(clock / 10_000) * 3600 + (Math.floor(clock / 100) % 100) * 60 + (clock % 100);
  const d = String(day);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)} ${clockText(seconds)}`;
}

/**
 * The first line whose time is `time` or later (`after`: later only), or the number of lines.
 * Lines are in the order of their time texts, no time first, so the lines of a time range are
 * a range of lines, found by halving.
 */
export function firstLineAt(lines: ReviewLines, time: string, after: boolean): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const t = lineTime(lines, mid);
    if (t !== null && (after ? t > time : t >= time)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The lines in order of the absolute amount and then of time, no amount first (as SQLite orders
 * abs(amount), id): worked out once per run's lines, when a page first asks for it. A counting sort
 * over the amounts' ranks keeps lines of equal amount in time order.
 */
export function linesByAmount(db: Db): Int32Array {
  const known = keptLines(db);
  if (known.byAmount) return known.byAmount;
  const { amount, length } = known.lines;
  const keys = new Float64Array(length);
  for (let i = 0; i < length; i++) keys[i] = Number.isNaN(amount[i]!) ? -1 : Math.abs(amount[i]!);
  const sorted = keys.slice().sort();
  const distinct: number[] = [];
  for (const k of sorted) if (distinct.at(-1) !== k) distinct.push(k);
  const rank = new Int32Array(length);
  const starts = new Int32Array(distinct.length + 1);
  for (let i = 0; i < length; i++) {
    let [low, high] = [0, distinct.length - 1];
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (distinct[mid]! < keys[i]!) low = mid + 1;
      else high = mid;
    }
    rank[i] = low;
    starts[low + 1] = starts[low + 1]! + 1;
  }
  for (let k = 1; k < starts.length; k++) starts[k] = starts[k]! + starts[k - 1]!;
  const order = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const at = starts[rank[i]!]!;
    order[at] = i;
    starts[rank[i]!] = at + 1;
  }
  known.byAmount = order;
  return order;
}

/** Record ids and the ids they were matched with, by looking up. */
export interface Counterparts {
  get(id: number): number | undefined;
}

/**
 * The terminal ↔ settlement pairs of the last run, as the lines hold them (a terminal line with
 * its settlement beside it): each record's counterpart, looked up by id in an array as long as
 * the largest id, made once per run's lines.
 */
export function matchedRecords(db: Db): Counterparts {
  const known = keptLines(db);
  if (!known.matched) {
    const { tid, sid, length } = known.lines;
    let top = 0;
    for (let i = 0; i < length; i++)
      if (tid[i]! !== 0 && sid[i]! !== 0) top = Math.max(top, tid[i]!, sid[i]!);
    const other = new Int32Array(top + 1);
    for (let i = 0; i < length; i++) {
      if (tid[i]! === 0 || sid[i]! === 0) continue;
      other[tid[i]!] = sid[i]!;
      other[sid[i]!] = tid[i]!;
    }
    known.matched = { get: (id) => (id > 0 && id <= top && other[id]! !== 0 ? other[id] : undefined) };
  }
  return known.matched;
}
