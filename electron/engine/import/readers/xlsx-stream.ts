// Streaming .xlsx reader: finds the parts through the zip's central directory, inflates the worksheet
// in steps, decodes UTF-8 incrementally and scans rows with indexOf as they complete, so a huge
// sheet never exists as one string. No SheetJS, no DOM.

import { excelSerialToText, isBuiltinDateFormat, isDateFormat, isoDateToText } from './excel-dates';
import {
  FileReadError,
  type RawCell,
  type RawRow,
  type ReadLimits,
  type SheetTable,
  sheetNotFound,
  tooManyColumns,
  tooManyRows,
} from './types';
import { inflateEntry, readZipDirectory, type ZipEntry } from './zip-guard';

export interface XlsxWorkbook {
  sheetNames: string[];
  date1904: boolean;
  sheet(name: string): SheetTable;
}

/** Parts read whole into one string (workbook, relationships, styles) may not be larger than this. */
const MAX_SMALL_PART = 256 * 1024 * 1024;
/** Decoded text is handed to the scanner in batches of about this many characters. */
const TEXT_BATCH = 1 << 16;

function corrupt(zh: string, en: string): FileReadError {
  return new FileReadError('xlsx_corrupt', `Excel 文件已损坏：${zh}。`, `The Excel file is damaged: ${en}.`);
}

// ---------------------------------------------------------------------------------------------
// XML text helpers

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ESCAPE_X = /_x([0-9a-fA-F]{4})_/g;

function entity(whole: string, name?: string, dec?: string, hex?: string): string {
  if (name) return NAMED[name]!;
  const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
  return String.fromCodePoint(code);
}

function decodeEntities(raw: string): string {
  return raw.indexOf('&') < 0 ? raw : raw.replace(ENTITY, entity);
}

/** XML character content to text: CDATA, entities, Excel's _xHHHH_ escapes (_x005F_ = '_'), and
 *  line breaks as '\n' (XML end-of-line handling; Excel writes a CR as _x000D_ before the LF). */
function decodeXmlText(raw: string): string {
  let s: string;
  if (raw.indexOf('<') >= 0) {
    s = '';
    let i = 0;
    for (;;) {
      const open = raw.indexOf('<![CDATA[', i);
      if (open < 0) {
        s += decodeEntities(raw.slice(i));
        break;
      }
      s += decodeEntities(raw.slice(i, open));
      const close = raw.indexOf(']]>', open + 9);
      s += raw.slice(open + 9, close < 0 ? raw.length : close);
      if (close < 0) break;
      i = close + 3;
    }
  } else s = decodeEntities(raw);
  if (s.indexOf('_x') >= 0)
    s = s.replace(ESCAPE_X, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return s.indexOf('\r') < 0 ? s : s.replace(/\r\n/g, '\n');
}

function isNameEnd(code: number): boolean {
  // '>', '/', whitespace; NaN (end of buffer) is not a decision and is handled by the caller.
  return code === 62 || code === 47 || code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Text of a string item (<si> or <is>) between from and to: the <t> elements, directly or inside
 * rich-text runs, concatenated; phonetic runs (<rPh>) are skipped.
 */
function readRichText(s: string, from: number, to: number, p: string): string {
  const tName = `${p}t`;
  const tClose = `</${p}t>`;
  const rPhName = `${p}rPh`;
  const rPhClose = `</${p}rPh>`;
  let out = '';
  let pieces = 0;
  let i = from;
  for (;;) {
    const lt = s.indexOf('<', i);
    if (lt < 0 || lt >= to) break;
    if (s.startsWith(tName, lt + 1) && isNameEnd(s.charCodeAt(lt + 1 + tName.length))) {
      const gt = s.indexOf('>', lt);
      if (gt < 0 || gt >= to) break;
      if (s.charCodeAt(gt - 1) === 47) {
        i = gt + 1;
        continue;
      }
      const end = s.indexOf(tClose, gt);
      if (end < 0 || end > to) break;
      const piece = s.slice(gt + 1, end);
      out = pieces++ === 0 ? piece : out + piece;
      i = end + tClose.length;
    } else if (s.startsWith(rPhName, lt + 1) && isNameEnd(s.charCodeAt(lt + 1 + rPhName.length))) {
      const gt = s.indexOf('>', lt);
      if (gt < 0 || gt >= to) break;
      if (s.charCodeAt(gt - 1) === 47) {
        i = gt + 1;
        continue;
      }
      const end = s.indexOf(rPhClose, gt);
      if (end < 0 || end > to) break;
      i = end + rPhClose.length;
    } else i = lt + 1;
  }
  return decodeXmlText(out);
}

const attrCache = new Map<string, RegExp>();

/** Attribute value from the inside of a start tag (small parts only); `name` is a regex fragment. */
function attr(tag: string, name: string): string | undefined {
  let re = attrCache.get(name);
  if (!re) {
    re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    attrCache.set(name, re);
  }
  const m = re.exec(tag);
  if (!m) return undefined;
  return decodeXmlText(m[1] ?? m[2] ?? '');
}

function startTags(xml: string, local: string): string[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${local}(?=[\\s/>])([^>]*)>`, 'g');
  const out: string[] = [];
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[1]!);
  return out;
}

/** The namespace prefix ('' or 'x:') of the first element in an XML text, or null if none yet. */
function rootPrefix(s: string): string | null {
  const m = /<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*(?=[\s/>])/.exec(s);
  if (!m) return null;
  return m[1] ?? '';
}

// ---------------------------------------------------------------------------------------------
// Streaming element scanner

function* decodeChunks(bytes: Iterable<Uint8Array>): Generator<string> {
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  const parts: string[] = [];
  let size = 0;
  for (const chunk of bytes) {
    if (!decoder) {
      const enc =
        chunk[0] === 0xff && chunk[1] === 0xfe
          ? 'utf-16le'
          : chunk[0] === 0xfe && chunk[1] === 0xff
            ? 'utf-16be'
            : 'utf-8';
      decoder = new TextDecoder(enc);
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) {
      parts.push(text);
      size += text.length;
    }
    if (size >= TEXT_BATCH) {
      yield parts.length === 1 ? parts[0]! : parts.join('');
      parts.length = 0;
      size = 0;
    }
  }
  if (decoder) {
    const tail = decoder.decode();
    if (tail.length > 0) parts.push(tail);
  }
  if (parts.length > 0) yield parts.join('');
}

/** One complete element found by scanElements; valid only until the scanner is resumed. */
interface Hit {
  /** The text buffer holding the element. */
  s: string;
  /** Index of '<'. */
  open: number;
  /** Index of the '>' closing the start tag. */
  gt: number;
  /** Index of the end tag's '<', or -1 for an empty-element tag. */
  close: number;
  /** Namespace prefix used by the part ('' or e.g. 'x:'). */
  prefix: string;
  /** Length of '<' + prefix + local name. */
  nameLen: number;
}

/**
 * Finds every complete `local` element in a chunked XML text, keeping only the unconsumed tail
 * between chunks. An element spanning chunks is collected in pieces and joined once, so a long
 * element costs linear time. Stops at `</stopLocal` if given.
 */
function* scanElements(texts: Iterable<string>, local: string, stopLocal: string | null): Generator<Hit> {
  let s = '';
  let pos = 0;
  let carry: string[] | null = null;
  let carryTail = '';
  let needle = '';
  let prefix: string | null = null;
  let openTag = '';
  let closeTag = '';
  let stopTag = '';
  let keep = 0;
  const hit: Hit = { s: '', open: 0, gt: 0, close: -1, prefix: '', nameLen: 0 };

  const startCarry = (from: number, what: string) => {
    carry = [s.slice(from)];
    needle = what;
    carryTail = needle.length > 1 ? carry[0]!.slice(-(needle.length - 1)) : '';
    s = '';
    pos = 0;
  };

  for (const text of texts) {
    if (carry !== null) {
      const c: string[] = carry;
      const probe = carryTail + text;
      c.push(text);
      if (probe.indexOf(needle) < 0) {
        carryTail = needle.length > 1 ? probe.slice(-(needle.length - 1)) : '';
        continue;
      }
      s = c.join('');
      carry = null;
      pos = 0;
    } else {
      s = pos < s.length ? s.slice(pos) + text : text;
      pos = 0;
    }
    if (prefix === null) {
      prefix = rootPrefix(s);
      if (prefix === null) {
        startCarry(0, '>');
        continue;
      }
      openTag = `<${prefix}${local}`;
      closeTag = `</${prefix}${local}>`;
      stopTag = stopLocal ? `</${prefix}${stopLocal}` : '';
      keep = Math.max(openTag.length, stopTag.length);
      hit.prefix = prefix;
      hit.nameLen = openTag.length;
    }
    for (;;) {
      const lt = s.indexOf(openTag, pos);
      if (lt < 0) {
        if (stopTag && s.indexOf(stopTag, pos) >= 0) return;
        pos = Math.max(pos, s.length - keep);
        break;
      }
      const after = s.charCodeAt(lt + openTag.length);
      if (Number.isNaN(after)) {
        pos = lt;
        break;
      }
      if (!isNameEnd(after)) {
        pos = lt + openTag.length;
        continue;
      }
      const gt = s.indexOf('>', lt);
      if (gt < 0) {
        startCarry(lt, '>');
        break;
      }
      hit.s = s;
      hit.open = lt;
      hit.gt = gt;
      if (s.charCodeAt(gt - 1) === 47) {
        hit.close = -1;
        pos = gt + 1;
        yield hit;
        continue;
      }
      const close = s.indexOf(closeTag, gt + 1);
      if (close < 0) {
        startCarry(lt, closeTag);
        break;
      }
      hit.close = close;
      pos = close + closeTag.length;
      yield hit;
    }
  }
  if (carry !== null && prefix !== null) {
    throw corrupt(`<${local}> 元素不完整`, `an incomplete <${local}> element at the end of a part`);
  }
}

// ---------------------------------------------------------------------------------------------
// Zip access

class ZipParts {
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLower = new Map<string, ZipEntry>();

  constructor(
    private readonly buf: Uint8Array,
    private readonly limits: ReadLimits,
  ) {
    for (const e of readZipDirectory(buf, limits)) {
      const name = e.name.replace(/^\/+/, '');
      this.byName.set(name, e);
      this.byLower.set(name.toLowerCase(), e);
    }
  }

  get(path: string): ZipEntry | undefined {
    return this.byName.get(path) ?? this.byLower.get(path.toLowerCase());
  }

  chunks(entry: ZipEntry): Iterable<string> {
    return decodeChunks(inflateEntry(this.buf, entry, this.limits));
  }

  /** A small part as one string, or undefined if absent. */
  text(path: string): string | undefined {
    const entry = this.get(path);
    if (!entry) return undefined;
    if (entry.uncompressedSize > MAX_SMALL_PART) {
      throw corrupt(`“${path}”过大`, `part "${path}" is too large`);
    }
    const parts: string[] = [];
    for (const t of this.chunks(entry)) parts.push(t);
    return parts.join('');
  }
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}

function resolvePart(baseDir: string, target: string): string {
  let t = target.replace(/\\/g, '/');
  try {
    t = decodeURI(t);
  } catch {
    // keep as written
  }
  const out = t.startsWith('/') ? [] : baseDir.split('/').filter((x) => x !== '');
  for (const seg of t.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

interface Relationship {
  type: string;
  target: string;
}

function readRels(zip: ZipParts, relsPath: string, baseDir: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  const xml = zip.text(relsPath);
  if (xml === undefined) return rels;
  for (const tag of startTags(xml, 'Relationship')) {
    const id = attr(tag, 'Id');
    const target = attr(tag, 'Target');
    if (id === undefined || target === undefined) continue;
    if ((attr(tag, 'TargetMode') ?? '').toLowerCase() === 'external') continue;
    rels.set(id, { type: attr(tag, 'Type') ?? '', target: resolvePart(baseDir, target) });
  }
  return rels;
}

// ---------------------------------------------------------------------------------------------
// Workbook-level parts

function readSharedStrings(zip: ZipParts, path: string | undefined): string[] {
  const out: string[] = [];
  const entry = path === undefined ? undefined : zip.get(path);
  if (!entry) return out;
  for (const hit of scanElements(zip.chunks(entry), 'si', null)) {
    out.push(hit.close < 0 ? '' : readRichText(hit.s, hit.gt + 1, hit.close, hit.prefix));
  }
  return out;
}

/** For each cell style index (cellXfs), 1 if its number format shows a date or time. */
function readDateStyles(zip: ZipParts, path: string | undefined): Uint8Array {
  const xml = path === undefined ? undefined : zip.text(path);
  if (xml === undefined) return new Uint8Array(0);
  const custom = new Map<number, string>();
  for (const tag of startTags(xml, 'numFmt')) {
    const id = Number(attr(tag, 'numFmtId'));
    const code = attr(tag, 'formatCode');
    if (Number.isInteger(id) && code !== undefined) custom.set(id, code);
  }
  const open = /<(?:[\w.-]+:)?cellXfs(?=[\s/>])[^>]*>/.exec(xml);
  if (!open || xml.charCodeAt(open.index + open[0].length - 2) === 47) return new Uint8Array(0);
  const closeRe = /<\/(?:[\w.-]+:)?cellXfs>/g;
  closeRe.lastIndex = open.index;
  const close = closeRe.exec(xml);
  const region = xml.slice(open.index + open[0].length, close ? close.index : xml.length);
  const xfs = startTags(region, 'xf');
  const out = new Uint8Array(xfs.length);
  for (let i = 0; i < xfs.length; i++) {
    const id = Number(attr(xfs[i]!, 'numFmtId') ?? 0);
    const code = custom.get(id);
    out[i] = (code !== undefined ? isDateFormat(code) : isBuiltinDateFormat(id)) ? 1 : 0;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Worksheet rows

interface SheetContext {
  sst: string[];
  dateStyles: Uint8Array;
  date1904: boolean;
  limits: ReadLimits;
}

/** Element names of one worksheet part, with its namespace prefix. */
class SheetNames {
  readonly row: string;
  readonly rowClose: string;
  readonly c: string;
  readonly v: string;
  readonly is: string;
  readonly isClose: string;
  readonly stop: string;
  readonly edge: number;

  constructor(readonly prefix: string) {
    this.row = `<${prefix}row`;
    this.rowClose = `</${prefix}row>`;
    this.c = `${prefix}c`;
    this.v = `${prefix}v`;
    this.is = `${prefix}is`;
    this.isClose = `</${prefix}is>`;
    this.stop = `</${prefix}sheetData`;
    this.edge = Math.max(this.rowClose.length, this.stop.length);
  }
}

const T_NUMBER = 0;
const T_SHARED = 1;
const T_STR = 2;
const T_INLINE = 3;
const T_BOOL = 4;
const T_ERROR = 5;
const T_DATE = 6;

function cellType(s: string, from: number, to: number): number {
  const len = to - from;
  const c0 = s.charCodeAt(from);
  if (len === 1) {
    if (c0 === 115) return T_SHARED; // s
    if (c0 === 98) return T_BOOL; // b
    if (c0 === 101) return T_ERROR; // e
    if (c0 === 100) return T_DATE; // d
    return T_NUMBER;
  }
  if (len === 3 && s.startsWith('str', from)) return T_STR;
  if (len === 9 && s.startsWith('inlineStr', from)) return T_INLINE;
  return T_NUMBER;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The number written in s[from, to). Plain decimals of up to 15 digits are computed directly
 * (integer / power of ten, both exact, so the result is the correctly rounded double, the same as
 * parseFloat); anything else goes to parseFloat. NaN if it is not a number.
 */
function parseNumber(s: string, from: number, to: number): number {
  let i = from;
  const neg = s.charCodeAt(i) === 45;
  if (neg) i++;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return Number.parseFloat(s.slice(from, to));
  }
  if (digits === 0 || digits > 15) return Number.parseFloat(s.slice(from, to));
  const v = frac > 0 ? m / POW10[frac]! : m;
  return neg ? -v : v;
}

function badRow(): FileReadError {
  return corrupt('工作表的行结构无效', 'a worksheet row is malformed');
}

/** The row number from a <row> start tag's r attribute (between from and to), or 0 if absent. */
function rowNumber(s: string, from: number, to: number): number {
  let a = from;
  while (a < to) {
    const c = s.charCodeAt(a);
    if (c <= 32 || c === 47) {
      a++;
      continue;
    }
    const eq = s.indexOf('=', a);
    if (eq < 0 || eq >= to) return 0;
    let ne = eq;
    while (ne > a && s.charCodeAt(ne - 1) <= 32) ne--;
    let q = eq + 1;
    while (s.charCodeAt(q) <= 32) q++;
    const vEnd = s.indexOf(s.charCodeAt(q) === 39 ? "'" : '"', q + 1);
    if (vEnd < 0 || vEnd >= to) return 0;
    if (ne - a === 1 && c === 114) {
      let n = 0;
      for (let k = q + 1; k < vEnd; k++) {
        const d = s.charCodeAt(k) - 48;
        if (d < 0 || d > 9 || n > 1e12) return 0;
        n = n * 10 + d;
      }
      return n;
    }
    a = vEnd + 1;
  }
  return 0;
}

/** Whether s has the element name `name` at k (followed by '>', '/' or whitespace). */
function nameAt(s: string, k: number, name: string): boolean {
  return s.startsWith(name, k) && isNameEnd(s.charCodeAt(k + name.length));
}

/** Where readRow stopped: just after the row's end tag. */
let rowEndPos = 0;

/**
 * The dense cells of one row, parsed from just after its start tag up to its end tag; [] if all
 * are empty. `end` bounds the text known to hold complete rows. Sets rowEndPos.
 */
function readRow(s: string, from: number, end: number, n: SheetNames, ctx: SheetContext): RawCell[] {
  const cells: RawCell[] = [];
  const maxColumns = ctx.limits.maxColumns;
  let col = -1;
  let k = from;
  for (;;) {
    let ch = s.charCodeAt(k);
    while (ch <= 32) ch = s.charCodeAt(++k);
    if (k >= end) throw badRow();
    if (ch !== 60) {
      // Stray text between cells.
      k = s.indexOf('<', k);
      if (k < 0 || k >= end) throw badRow();
      continue;
    }
    if (s.charCodeAt(k + 1) === 47) {
      if (s.startsWith(n.rowClose, k)) {
        rowEndPos = k + n.rowClose.length;
        return cells;
      }
      const gt = s.indexOf('>', k); // a stray end tag
      if (gt < 0 || gt >= end) throw badRow();
      k = gt + 1;
      continue;
    }
    if (!nameAt(s, k + 1, n.c)) {
      // Anything but a cell (e.g. <extLst>) ends what this reader takes from the row.
      const close = s.indexOf(n.rowClose, k);
      if (close < 0 || close >= end) throw badRow();
      rowEndPos = close + n.rowClose.length;
      return cells;
    }

    // Start tag attributes: r, s, t.
    let refCol = -1;
    let style = -1;
    let tStart = -1;
    let tEnd = -1;
    let selfClosing = false;
    let a = k + 1 + n.c.length;
    for (;;) {
      let c = s.charCodeAt(a);
      while (c <= 32) c = s.charCodeAt(++a);
      if (c === 62) break;
      if (c === 47) {
        selfClosing = true;
        a = s.indexOf('>', a);
        if (a < 0 || a >= end) throw badRow();
        break;
      }
      if (a >= end) throw badRow();
      const nameStart = a;
      while (c > 32 && c !== 61 && c !== 62 && c !== 47) c = s.charCodeAt(++a);
      const nameLen = a - nameStart;
      while (c <= 32) c = s.charCodeAt(++a);
      if (c !== 61) throw badRow();
      c = s.charCodeAt(++a);
      while (c <= 32) c = s.charCodeAt(++a);
      if (c !== 34 && c !== 39) throw badRow();
      const vStart = a + 1;
      let vEnd = vStart;
      while (s.charCodeAt(vEnd) !== c && vEnd < end) vEnd++;
      if (vEnd >= end) throw badRow();
      if (nameLen === 1) {
        const name = s.charCodeAt(nameStart);
        if (name === 114) {
          // r="AB12": the letters give the column.
          let num = 0;
          for (let i = vStart; i < vEnd && i < vStart + 7; i++) {
            let d = s.charCodeAt(i);
            if (d >= 97 && d <= 122) d -= 32;
            if (d < 65 || d > 90) break;
            num = num * 26 + (d - 64);
          }
          if (num > 0) refCol = num - 1;
        } else if (name === 115) {
          let num = 0;
          for (let i = vStart; i < vEnd; i++) {
            const d = s.charCodeAt(i) - 48;
            if (d < 0 || d > 9 || num > 1e9) {
              num = -1;
              break;
            }
            num = num * 10 + d;
          }
          style = num;
        } else if (name === 116) {
          tStart = vStart;
          tEnd = vEnd;
        }
      }
      a = vEnd + 1;
    }
    col = refCol >= 0 ? refCol : col + 1;
    k = a + 1;
    if (selfClosing) continue; // <c r="A1" s="3"/>: no value

    // Children: <v>, <is>, <f> and anything else, up to </c>.
    let vStart = -1;
    let vEnd = -1;
    let inline: string | null = null;
    for (;;) {
      let c = s.charCodeAt(k);
      while (c <= 32) c = s.charCodeAt(++k);
      if (k >= end) throw badRow();
      if (c !== 60) {
        k = s.indexOf('<', k);
        if (k < 0 || k >= end) throw badRow();
        continue;
      }
      if (s.charCodeAt(k + 1) === 47) {
        // </c>
        k = s.indexOf('>', k) + 1;
        if (k <= 0 || k > end) throw badRow();
        break;
      }
      if (nameAt(s, k + 1, n.v)) {
        let gt = k + 1 + n.v.length;
        if (s.charCodeAt(gt) !== 62) gt = s.indexOf('>', gt);
        if (gt < 0 || gt >= end) throw badRow();
        if (s.charCodeAt(gt - 1) === 47) {
          k = gt + 1;
          continue;
        }
        let e = gt + 1;
        while (s.charCodeAt(e) !== 60 && e < end) e++;
        vStart = gt + 1;
        vEnd = e;
        if (s.startsWith('<![CDATA[', e)) {
          vEnd = s.indexOf(`</${n.v}>`, e);
          if (vEnd < 0 || vEnd >= end) throw badRow();
        }
        k = s.indexOf('>', vEnd) + 1;
        if (k <= 0 || k > end) throw badRow();
        continue;
      }
      if (nameAt(s, k + 1, n.is)) {
        const gt = s.indexOf('>', k);
        if (gt < 0 || gt >= end) throw badRow();
        if (s.charCodeAt(gt - 1) === 47) {
          inline = '';
          k = gt + 1;
          continue;
        }
        const close = s.indexOf(n.isClose, gt);
        if (close < 0 || close >= end) throw badRow();
        inline = readRichText(s, gt + 1, close, n.prefix);
        k = close + n.isClose.length;
        continue;
      }
      // Another child (<f>, <extLst>, …): skip the whole element.
      let ne = k + 1;
      let c2 = s.charCodeAt(ne);
      while (c2 > 32 && c2 !== 62 && c2 !== 47) c2 = s.charCodeAt(++ne);
      const gt = s.indexOf('>', ne);
      if (gt < 0 || gt >= end) throw badRow();
      if (s.charCodeAt(gt - 1) === 47) {
        k = gt + 1;
        continue;
      }
      const close = s.indexOf(`</${s.slice(k + 1, ne)}>`, gt);
      if (close < 0 || close >= end) throw badRow();
      k = s.indexOf('>', close) + 1;
    }

    const type = tStart < 0 ? T_NUMBER : cellType(s, tStart, tEnd);
    let value: RawCell = null;
    if (type === T_INLINE && inline !== null) value = inline;
    else if (vEnd > vStart) {
      switch (type) {
        case T_NUMBER: {
          const num = parseNumber(s, vStart, vEnd);
          if (Number.isNaN(num)) value = decodeXmlText(s.slice(vStart, vEnd));
          else if (style >= 0 && ctx.dateStyles[style] === 1)
            value = excelSerialToText(num, ctx.date1904) ?? num;
          else value = num;
          break;
        }
        case T_SHARED: {
          const idx = parseNumber(s, vStart, vEnd);
          const str = Number.isInteger(idx) ? ctx.sst[idx] : undefined;
          if (str === undefined) {
            const raw = s.slice(vStart, vEnd);
            throw corrupt(`共享字符串编号 ${raw} 不存在`, `shared string ${raw} does not exist`);
          }
          value = str;
          break;
        }
        case T_BOOL: {
          const raw = s.slice(vStart, vEnd).trim();
          value = raw === '1' || raw.toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
          break;
        }
        case T_DATE:
          value = isoDateToText(decodeXmlText(s.slice(vStart, vEnd)));
          break;
        default:
          value = decodeXmlText(s.slice(vStart, vEnd));
      }
    }
    if (value === null || value === '') continue;
    if (col >= maxColumns) throw tooManyColumns(ctx.limits);
    while (cells.length < col) cells.push(null);
    cells[col] = value;
  }
}

/**
 * Rows of a worksheet part as its text arrives. Each batch is cut after its last complete row;
 * the rest is carried over (in pieces, joined once the row's end arrives, so a row longer than a
 * batch costs linear time). Stops at </sheetData>.
 */
function* readSheetRows(texts: Iterable<string>, ctx: SheetContext): Generator<RawRow> {
  const { maxRows } = ctx.limits;
  let previous = 0;
  let emitted = 0;
  let names: SheetNames | null = null;
  let carry: string[] = [];
  let carryTail = '';
  for (const text of texts) {
    carry.push(text);
    if (names === null) {
      const joined = carry.join('');
      const prefix = rootPrefix(joined);
      if (prefix === null) {
        carry = [joined];
        continue;
      }
      names = new SheetNames(prefix);
    } else {
      // Wait for more text unless this batch completes a row or ends the sheet data.
      const edge = carryTail + text.slice(0, names.edge);
      const complete =
        text.lastIndexOf(names.rowClose) >= 0 ||
        edge.indexOf(names.rowClose) >= 0 ||
        edge.indexOf(names.stop) >= 0 ||
        text.indexOf(names.stop) >= 0;
      if (!complete) {
        carryTail =
          text.length >= names.edge ? text.slice(-names.edge) : (carryTail + text).slice(-names.edge);
        continue;
      }
    }
    const n: SheetNames = names;
    const s = carry.length === 1 ? carry[0]! : carry.join('');
    // Complete rows end at the last </row>, or at </sheetData> (which may follow empty <row/> tags).
    const lastClose = s.lastIndexOf(n.rowClose);
    let limit = lastClose < 0 ? 0 : lastClose + n.rowClose.length;
    const stop = s.indexOf(n.stop, limit);
    if (stop >= 0) limit = stop;
    let pos = 0;
    for (;;) {
      const lt = s.indexOf(n.row, pos);
      if (lt < 0 || lt >= limit) break;
      if (!isNameEnd(s.charCodeAt(lt + n.row.length))) {
        pos = lt + n.row.length;
        continue;
      }
      const gt = s.indexOf('>', lt);
      if (gt < 0 || gt >= limit) throw badRow();
      const declared = rowNumber(s, lt + n.row.length, gt);
      const row = declared > 0 ? declared : previous + 1;
      previous = row;
      if (s.charCodeAt(gt - 1) === 47) {
        pos = gt + 1;
        continue;
      }
      const cells = readRow(s, gt + 1, limit, n, ctx);
      pos = rowEndPos;
      if (cells.length === 0) continue;
      if (row > maxRows || ++emitted > maxRows) throw tooManyRows(ctx.limits);
      yield { row, cells };
    }
    if (stop >= 0) return;
    const rest = s.slice(pos);
    carry = [rest];
    carryTail = rest.slice(-n.edge);
  }
  if (names !== null && carry.some((piece) => piece.indexOf(names.row) >= 0)) {
    throw corrupt('工作表数据不完整', 'the worksheet data is truncated');
  }
}

// ---------------------------------------------------------------------------------------------
// Workbook

/**
 * Opens an .xlsx/.xlsm for streaming. Checks the zip directory first; throws FileReadError if the
 * zip is hostile or the workbook structure cannot be found (callers then fall back to SheetJS).
 */
export function openXlsx(buf: Uint8Array, limits: ReadLimits): XlsxWorkbook {
  const zip = new ZipParts(buf, limits);

  let workbookPath = 'xl/workbook.xml';
  for (const rel of readRels(zip, '_rels/.rels', '').values()) {
    if (rel.type.endsWith('/officeDocument')) {
      workbookPath = rel.target;
      break;
    }
  }
  const workbookXml = workbookPath.toLowerCase().endsWith('.xml') ? zip.text(workbookPath) : undefined;
  if (workbookXml === undefined) {
    throw new FileReadError(
      'unsupported',
      '不是可识别的 Excel 工作簿（缺少 workbook.xml）。',
      'Not a recognisable Excel workbook (workbook.xml is missing).',
    );
  }
  const baseDir = dirOf(workbookPath);
  const rels = readRels(zip, `${baseDir}_rels/${workbookPath.slice(baseDir.length)}.rels`, baseDir);

  const wbPr = startTags(workbookXml, 'workbookPr')[0];
  const flag = wbPr === undefined ? undefined : attr(wbPr, 'date1904');
  const date1904 = flag !== undefined && (flag === '1' || flag.toLowerCase() === 'true');

  const sheets = new Map<string, { path: string; worksheet: boolean }>();
  const sheetNames: string[] = [];
  for (const tag of startTags(workbookXml, 'sheet')) {
    const name = attr(tag, 'name');
    const rid = attr(tag, '(?:[\\w.-]+:)?id');
    if (name === undefined || rid === undefined) continue;
    const rel = rels.get(rid);
    if (!rel || !zip.get(rel.target)) {
      throw new FileReadError(
        'unsupported',
        `找不到工作表“${name}”的内容。`,
        `The content of sheet "${name}" cannot be found.`,
      );
    }
    sheetNames.push(name);
    sheets.set(name, { path: rel.target, worksheet: rel.type.endsWith('/worksheet') });
  }
  if (sheetNames.length === 0) {
    throw new FileReadError('unsupported', 'Excel 工作簿中没有工作表。', 'The Excel workbook has no sheets.');
  }

  let sharedPath: string | undefined;
  let stylesPath: string | undefined;
  for (const rel of rels.values()) {
    if (rel.type.endsWith('/sharedStrings')) sharedPath = rel.target;
    else if (rel.type.endsWith('/styles')) stylesPath = rel.target;
  }
  sharedPath ??= zip.get(`${baseDir}sharedStrings.xml`) ? `${baseDir}sharedStrings.xml` : undefined;
  stylesPath ??= zip.get(`${baseDir}styles.xml`) ? `${baseDir}styles.xml` : undefined;

  let context: SheetContext | null = null;
  const getContext = (): SheetContext => {
    context ??= {
      sst: readSharedStrings(zip, sharedPath),
      dateStyles: readDateStyles(zip, stylesPath),
      date1904,
      limits,
    };
    return context;
  };

  return {
    sheetNames,
    date1904,
    sheet(name: string): SheetTable {
      const info = sheets.get(name);
      if (!info) {
        throw sheetNotFound(name);
      }
      return {
        name,
        date1904,
        rows(): Iterable<RawRow> {
          if (!info.worksheet) return [];
          return {
            [Symbol.iterator]: () => {
              const ctx = getContext();
              const entry = zip.get(info.path)!;
              return readSheetRows(zip.chunks(entry), ctx);
            },
          };
        },
      };
    },
  };
}
