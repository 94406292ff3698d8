import { createDecoder, detectEncoding } from './encoding';
import { FileReadError, type RawRow, type ReadLimits, type SheetTable, type TextRange } from './types';

/** Bytes decoded at a time. Small enough that a chunk's text stays in V8's young generation: a
 *  megabyte decoded to a fresh two-megabyte string outside it each time, and the page faults of
 *  that memory cost a tenth of an import's time in the kernel (perf, by hand). */
const CHUNK_BYTES = 1 << 15;
const DELIMITERS = [',', '\t', '|', ';'] as const;

export interface DelimitedFile {
  encoding: string;
  /** The cell delimiter and the line end the file was found to use. */
  delimiter: string;
  newline: '\n' | '\r';
  table: SheetTable;
}

export interface DelimitedOptions {
  encoding?: string;
}

/** Text exports (.csv, .txt): comma, tab, pipe or semicolon separated, RFC 4180 quoting, any of
 *  LF / CRLF / CR line ends. Rows carry the line number where they start, counting preamble lines. */
export function openDelimited(
  bytes: Uint8Array,
  limits: ReadLimits,
  options: DelimitedOptions = {},
): DelimitedFile {
  const encoding = options.encoding ?? detectEncoding(bytes);
  const head = decodeHead(bytes, encoding);
  const delimiter = detectDelimiter(head);
  const newline = head.includes('\n') || !head.includes('\r') ? '\n' : '\r';
  return {
    encoding,
    delimiter,
    newline,
    table: {
      name: null,
      date1904: false,
      rows: (range) => readRows(bytes, encoding, delimiter, newline, limits, range),
    },
  };
}

function decodeHead(bytes: Uint8Array, encoding: string): string {
  const dec = createDecoder(encoding);
  return dec.write(bytes.subarray(0, 256 * 1024));
}

/** The delimiter that splits the widest line of the first lines; a comma file whose cells carry
 *  trailing tabs (some bank exports) still counts as comma separated. */
export function detectDelimiter(head: string): string {
  const lines = head.split(/\r\n|\n|\r/, 40);
  const best = new Map<string, number>();
  for (const d of DELIMITERS) {
    let max = 0;
    for (const line of lines) {
      let n = 0;
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (ch === '"') quoted = !quoted;
        else if (ch === d && !quoted) n++;
      }
      if (n > max) max = n;
    }
    best.set(d, max);
  }
  const comma = best.get(',') ?? 0;
  const tab = best.get('\t') ?? 0;
  if (comma > 0 && comma >= tab - 1) return ',';
  let pick = ',';
  let pickCount = 0;
  for (const [d, n] of best) {
    if (n > pickCount) {
      pick = d;
      pickCount = n;
    }
  }
  return pick;
}

function* readRows(
  bytes: Uint8Array,
  encoding: string,
  delimiter: string,
  newline: string,
  limits: ReadLimits,
  range: TextRange = { start: 0, end: bytes.length, line: 1 },
): Generator<RawRow> {
  const decoder = createDecoder(encoding);
  let offset = range.start;
  const limit = range.end;
  let text = '';
  let pos = 0;
  let line = range.line;
  let done = false;
  // Rows of the parts before this one are not counted here: the line number stands in for them.
  let rows = line - 1;
  let first = range.start === 0;

  const newlineByte = newline === '\n' ? 0x0a : 0x0d;
  // Positions of the next '"' and the next delimiter at or after pos (-1: none left in text),
  // kept across lines: most exports never quote, and a search that runs past the end of its line
  // must not be repeated for every following line (single-column files would go quadratic).
  let quote = -1;
  let delim = -1;
  /** Cells of the last plain line. */
  let width = 0;
  const more = (): boolean => {
    if (done) return false;
    text = text.slice(pos);
    pos = 0;
    // A record longer than a chunk (a quoted cell with many lines) takes chunks that grow with it,
    // so that it is not glued together and searched again a few kilobytes at a time.
    const chunkBytes = Math.max(CHUNK_BYTES, text.length);
    if (offset >= limit) {
      text += decoder.end();
      done = true;
    } else {
      let end = Math.min(limit, offset + chunkBytes);
      // End the chunk just after its last line break: it then decodes to whole lines (in the
      // usual encodings), so the next chunk is not glued onto a partial line, which would copy
      // the whole chunk. Any cut is correct, as the decoder carries split characters over.
      if (end < limit) {
        const cut = bytes.subarray(offset, end).lastIndexOf(newlineByte);
        if (cut >= 0) end = offset + cut + 1;
      }
      let chunk = decoder.write(bytes.subarray(offset, end));
      offset = end;
      if (first) {
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        first = false;
      }
      text += chunk;
    }
    quote = text.indexOf('"');
    delim = text.indexOf(delimiter);
    return true;
  };

  more();
  for (;;) {
    const nl = text.indexOf(newline, pos);
    if (nl < 0 && !done) {
      more();
      continue;
    }
    if (pos >= text.length && done) return;
    const lineEnd = nl < 0 ? text.length : nl;
    if (quote >= 0 && quote < pos) quote = text.indexOf('"', pos);
    if (quote < 0 || quote >= lineEnd) {
      // A plain line (no quotes): split it, dropping the \r of a CRLF line end.
      let end = lineEnd;
      if (end > pos && text.charCodeAt(end - 1) === 13 /* \r */) end--;
      const start = pos;
      pos = lineEnd + 1;
      if (end > start) {
        // Same as text.slice(start, end).split(delimiter), without the line string in between
        // (the delimiter is one character: see DELIMITERS). The array is made as wide as the last
        // line (an export's lines nearly all are): pushed into from empty, each line's array grew
        // twice, through a call per cell (0.30 against 0.23 s for 390,000 lines, by hand).
        const cells = new Array<string>(width);
        let n = 0;
        if (delim >= 0 && delim < start) delim = text.indexOf(delimiter, start);
        for (let from = start; ; ) {
          const stop = delim >= 0 && delim < end ? delim : end;
          if (n < width) cells[n] = text.slice(from, stop);
          else cells.push(text.slice(from, stop));
          n++;
          if (stop === end) break;
          from = stop + 1;
          delim = text.indexOf(delimiter, from);
        }
        if (n < width) cells.length = n;
        width = n;
        check(cells.length, ++rows, limits, line);
        yield { row: line, cells, plain: delimiter };
      }
      line++;
      continue;
    }
    // A line with quotes: parse field by field; a quoted field may run over several lines.
    const parsed = parseQuoted(text, pos, delimiter, newline, done);
    if (!parsed) {
      more();
      continue;
    }
    pos = parsed.next;
    check(parsed.cells.length, ++rows, limits, line);
    yield { row: line, cells: parsed.cells };
    line += parsed.lines;
  }
}

function check(columns: number, rows: number, limits: ReadLimits, line: number): void {
  if (columns > limits.maxColumns) {
    throw new FileReadError(
      'too_many_columns',
      `第 ${line} 行有 ${columns} 列，超过上限 ${limits.maxColumns} 列。`,
      `Line ${line} has ${columns} columns, over the limit of ${limits.maxColumns}.`,
    );
  }
  if (rows > limits.maxRows) {
    throw new FileReadError(
      'too_many_rows',
      `文件超过 ${limits.maxRows} 行的上限。`,
      `The file has more than the limit of ${limits.maxRows} rows.`,
    );
  }
}

/** Parses one record starting at `start`. Returns null when the text ends inside a quoted field
 *  and more input may follow. */
function parseQuoted(
  text: string,
  start: number,
  delimiter: string,
  newline: string,
  final: boolean,
): { cells: string[]; next: number; lines: number } | null {
  const cells: string[] = [];
  let i = start;
  let lines = 1;
  let field = '';
  for (;;) {
    if (text[i] === '"') {
      // Quoted field: "" is an escaped quote; anything after the closing quote up to the
      // delimiter is kept as written (some exports put padding there).
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          if (!final) return null;
          field += text.slice(i);
          i = text.length;
          break;
        }
        const piece = text.slice(i, q);
        for (let k = piece.indexOf(newline); k >= 0; k = piece.indexOf(newline, k + 1)) lines++;
        field += piece;
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
    }
    // Unquoted remainder of the field.
    let j = i;
    while (j < text.length && text[j] !== delimiter && text[j] !== newline) j++;
    if (j >= text.length && !final) return null;
    field += text.slice(i, j);
    if (text[j] === delimiter) {
      cells.push(field);
      field = '';
      i = j + 1;
      continue;
    }
    if (field.endsWith('\r')) field = field.slice(0, -1);
    cells.push(field);
    return { cells, next: j + 1, lines };
  }
}

const LF = 0x0a;
const QUOTE = 0x22;
/** A file's last part is at least this long, so that a footer block is never cut in two. */
const TAIL_BYTES = 64 * 1024;

/**
 * Cuts a text file (in an encoding where a line-feed, quote or delimiter byte is always that
 * character) into parts of about `partBytes`, each ending just after a line feed outside any
 * quoted field, with the line number each part starts on. Quotes are read as the reader reads
 * them (parseQuoted): a quote opens a field only at the start of a cell, `""` inside one is a
 * quote, and any other quote (`5" screen`) is just text.
 */
export function splitLines(bytes: Uint8Array, partBytes: number, delimiter: string): TextRange[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const delimiterByte = delimiter.charCodeAt(0);
  // Line feeds seen in [0, scanned), whether `scanned` is inside a quoted field, and the first
  // quote at or after it (-1: none left).
  let scanned = 0;
  let lineFeeds = 0;
  let open = false;
  let nextQuote = buf.indexOf(QUOTE);
  /** Moves the scan to `to`, just after a line feed, jumping from quote to quote. */
  const scanTo = (to: number) => {
    let i = scanned;
    while (i < to) {
      if (nextQuote >= 0 && nextQuote < i) nextQuote = buf.indexOf(QUOTE, i);
      const q = nextQuote;
      const stop = q < 0 || q >= to ? to : q;
      for (let n = buf.indexOf(LF, i); n >= 0 && n < stop; n = buf.indexOf(LF, n + 1)) lineFeeds++;
      if (stop === to) break;
      // A quote before the line feed at to - 1, so q + 1 < to.
      if (open) {
        if (buf[q + 1] === QUOTE) i = q + 2;
        else {
          open = false;
          i = q + 1;
        }
      } else {
        const before = q === 0 ? LF : buf[q - 1];
        open = before === LF || before === delimiterByte;
        i = q + 1;
      }
    }
    scanned = to;
  };
  const parts: TextRange[] = [];
  let start = 0;
  let line = 1;
  for (;;) {
    let lf = buf.indexOf(LF, start + partBytes);
    while (lf >= 0) {
      scanTo(lf + 1);
      if (!open) break;
      lf = buf.indexOf(LF, lf + 1);
    }
    if (lf < 0 || buf.length - (lf + 1) < TAIL_BYTES) {
      parts.push({ start, end: buf.length, line });
      return parts;
    }
    parts.push({ start, end: lf + 1, line });
    start = lf + 1;
    line = lineFeeds + 1;
  }
}
