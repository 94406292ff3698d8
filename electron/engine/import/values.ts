// Cell-level parsers: raw spreadsheet/CSV cells → normalised values (text, integer fen, local
// wall-clock date/time strings, identifiers). These run on every cell of files with millions of
// rows, so they scan character codes by hand: no regexes, no Date objects, no float money maths.

import type { Bilingual, CardType, TxnStatus, TxnType } from '../../../shared/records';
import { daysFromCivil, digitsAt } from '../time';
import type { RawCell } from './readers/types';

export type Failure = { ok: false; reason: Bilingual };
export type ParseResult<T> = { ok: true; value: T } | Failure;

const NULL_OK: { ok: true; value: null } = Object.freeze({ ok: true, value: null }) as {
  ok: true;
  value: null;
};

function ok<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

function fail(zh: string, en: string): Failure {
  return { ok: false, reason: { zh, en } };
}

/** The value as shown in a message: cut short so a runaway cell cannot flood the error list. */
function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Text

/** Whitespace-like code units trimmed from cells: ASCII controls and space, NBSP, ideographic
 *  space, zero-width space/joiners, word joiner and BOM. */
function isTrim(c: number): boolean {
  if (c <= 32) return true;
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x3000 || c === 0xfeff || (c >= 0x200b && c <= 0x200d) || c === 0x2060;
}

function isEmptyMarker(s: string): boolean {
  switch (s.length) {
    case 1:
      return s === '-' || s === '*' || s === '—' || s === '/' || s === '－';
    case 2:
      return s === '--' || s === '——' || s === '**';
    case 3:
      return s === 'N/A' || s === 'n/a';
    case 4:
      return s === 'null' || s === 'NULL' || s === 'Null';
    default:
      return false;
  }
}

/** Decimal text of a numeric cell: String(n), except that integers ≥ 1e21 are written out in
 *  full rather than in exponent form. NaN/±Infinity (never legitimate cell values) give ''. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n) && (n >= 1e21 || n <= -1e21)) return BigInt(n).toString();
  return String(n);
}

export function cleanText(cell: RawCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return numberText(cell);
  let start = 0;
  let end = cell.length;
  while (start < end && isTrim(cell.charCodeAt(start))) start++;
  while (end > start && isTrim(cell.charCodeAt(end - 1))) end--;
  if (start === end) return '';
  const c = cell.charCodeAt(start);
  if (c === 0x60 /* ` */ || c === 0x27 /* ' */) {
    start++;
  } else if (
    c === 0x3d /* = */ &&
    end - start >= 3 &&
    cell.charCodeAt(start + 1) === 0x22 &&
    cell.charCodeAt(end - 1) === 0x22
  ) {
    start += 2;
    end--;
  }
  if (start !== 0 || end !== cell.length) {
    while (start < end && isTrim(cell.charCodeAt(start))) start++;
    while (end > start && isTrim(cell.charCodeAt(end - 1))) end--;
  }
  if (end - start <= 4) {
    const short = cell.slice(start, end);
    return isEmptyMarker(short) ? '' : short;
  }
  return start === 0 && end === cell.length ? cell : cell.slice(start, end);
}

/** Rewrites exponent notation (`1.5e+21`, `-1e-7`, `1.23457E+11`) as plain decimal text.
 *  Text without an exponent is returned unchanged. Returns null when the text is malformed. */
function expandExponent(text: string): string | null {
  let e = text.indexOf('e');
  if (e < 0) e = text.indexOf('E');
  if (e < 0) return text;
  let i = 0;
  let sign = '';
  if (text.charCodeAt(0) === 45) {
    sign = '-';
    i = 1;
  } else if (text.charCodeAt(0) === 43) {
    i = 1;
  }
  let digits = '';
  let intLen = -1;
  for (let k = i; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c === 46) {
      if (intLen >= 0) return null;
      intLen = digits.length;
    } else if (c >= 48 && c <= 57) {
      digits += text[k];
    } else {
      return null;
    }
  }
  if (digits.length === 0) return null;
  if (intLen < 0) intLen = digits.length;
  let k = e + 1;
  let expNeg = false;
  if (text.charCodeAt(k) === 45) {
    expNeg = true;
    k++;
  } else if (text.charCodeAt(k) === 43) {
    k++;
  }
  if (k >= text.length || text.length - k > 4) return null;
  let exp = 0;
  for (; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return null;
    exp = exp * 10 + (c - 48);
  }
  const point = intLen + (expNeg ? -exp : exp);
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  let z = 0;
  while (z < out.length - 1 && out.charCodeAt(z) === 48 && out.charCodeAt(z + 1) !== 46) z++;
  return sign + (z > 0 ? out.slice(z) : out);
}

// ---------------------------------------------------------------------------------------------
// Money

const MAX_YUAN_INT = Math.floor(Number.MAX_SAFE_INTEGER / 100);

function badAmount(text: string) {
  return fail(`无法识别的金额："${shown(text)}"`, `Not a valid amount: "${shown(text)}"`);
}

function amountTooLarge(text: string) {
  return fail(`金额超出可处理范围："${shown(text)}"`, `Amount is too large: "${shown(text)}"`);
}

function isAsciiCI(s: string, at: number, lower: string): boolean {
  if (at < 0 || at + lower.length > s.length) return false;
  for (let k = 0; k < lower.length; k++) {
    if ((s.charCodeAt(at + k) | 32) !== lower.charCodeAt(k)) return false;
  }
  return true;
}

function isCurrencyWord(s: string, at: number): boolean {
  return isAsciiCI(s, at, 'rmb') || isAsciiCI(s, at, 'cny');
}

/** Parses cleaned, non-empty amount text into integer fen without any floating-point maths. */
function amountFromText(s: string, inFen: boolean): number | Failure {
  let i = 0;
  let end = s.length;
  let neg = false;
  let signSeen = false;
  let paren = 0; // 0 none, 1 opened, 2 opened and closed
  let prefixSeen = false;
  let suffixSeen = false;
  // Leading decorations: spaces, sign, opening parenthesis, ¥/￥/RMB/CNY.
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 32 || isTrim(c)) {
      i++;
    } else if (c === 45 || c === 0xff0d || c === 0x2212) {
      if (signSeen) return badAmount(s);
      signSeen = true;
      neg = true;
      i++;
    } else if (c === 43 || c === 0xff0b) {
      if (signSeen) return badAmount(s);
      signSeen = true;
      i++;
    } else if (c === 40 || c === 0xff08) {
      if (paren !== 0) return badAmount(s);
      paren = 1;
      i++;
    } else if (c === 0xa5 || c === 0xffe5) {
      if (prefixSeen) return badAmount(s);
      prefixSeen = true;
      i++;
    } else if ((c | 32) === 114 /* r */ || (c | 32) === 99 /* c */) {
      if (prefixSeen || !isCurrencyWord(s, i)) return badAmount(s);
      prefixSeen = true;
      i += 3;
    } else {
      break;
    }
  }
  // Trailing decorations: spaces, 元, RMB/CNY, closing parenthesis, trailing minus.
  while (end > i) {
    const c = s.charCodeAt(end - 1);
    if (c === 32 || isTrim(c)) {
      end--;
    } else if (c === 0x5143 /* 元 */) {
      if (suffixSeen) return badAmount(s);
      suffixSeen = true;
      end--;
    } else if (c === 41 || c === 0xff09) {
      if (paren !== 1) return badAmount(s);
      paren = 2;
      end--;
    } else if (c === 45 || c === 0xff0d || c === 0x2212) {
      if (signSeen) return badAmount(s);
      signSeen = true;
      neg = true;
      end--;
    } else if (
      ((c | 32) === 98 /* b */ || (c | 32) === 121) /* y */ &&
      end - 3 >= i &&
      isCurrencyWord(s, end - 3)
    ) {
      if (suffixSeen) return badAmount(s);
      suffixSeen = true;
      end -= 3;
    } else {
      break;
    }
  }
  if (paren === 1) return badAmount(s);
  if (paren === 2) {
    if (signSeen) return badAmount(s);
    neg = true;
  }
  // The number itself: digits, grouping commas in the integer part, at most one point.
  let intPart = 0;
  let intDigits = 0;
  let frac = 0;
  let fracDigits = 0;
  let roundUp = false;
  let fracNonZero = false;
  let dot = false;
  for (let k = i; k < end; k++) {
    let c = s.charCodeAt(k);
    if (c >= 0xff10 && c <= 0xff19) c -= 0xff10 - 48;
    else if (c === 0xff0e) c = 46;
    else if (c === 0xff0c) c = 44;
    if (c >= 48 && c <= 57) {
      const d = c - 48;
      if (!dot) {
        intPart = intPart * 10 + d;
        intDigits++;
        if (intPart > Number.MAX_SAFE_INTEGER) return amountTooLarge(s);
      } else {
        if (fracDigits < 2) frac = frac * 10 + d;
        else if (fracDigits === 2) roundUp = d >= 5;
        if (d !== 0) fracNonZero = true;
        fracDigits++;
      }
    } else if (c === 46) {
      if (dot) return badAmount(s);
      dot = true;
    } else if (c === 44) {
      if (dot || intDigits === 0) return badAmount(s);
    } else {
      return badAmount(s);
    }
  }
  if (intDigits + fracDigits === 0) return badAmount(s);
  let fen: number;
  if (inFen) {
    if (fracNonZero) {
      return fail(
        `以分为单位的金额不能有小数："${shown(s)}"`,
        `An amount in fen must be a whole number: "${shown(s)}"`,
      );
    }
    fen = intPart;
  } else {
    if (fracDigits === 1) frac *= 10;
    if (intPart > MAX_YUAN_INT) return amountTooLarge(s);
    fen = intPart * 100 + frac + (roundUp ? 1 : 0);
    if (fen > Number.MAX_SAFE_INTEGER) return amountTooLarge(s);
  }
  return neg && fen !== 0 ? -fen : fen;
}

/** Integer fen from an amount cell. unit 'yuan' (default) rounds beyond 2 decimals half away from
 *  zero; unit 'fen' requires a whole number. Empty cells give null. */
export function parseAmountFen(cell: RawCell, unit: 'yuan' | 'fen' = 'yuan'): ParseResult<number | null> {
  const v = amountFenOf(cell, unit);
  if (v === null) return NULL_OK;
  return typeof v === 'number' ? { ok: true, value: v } : v;
}

/** parseAmountFen for the row loop, which runs it on millions of cells: the same answer without
 *  a result object around it (fen, null for an empty cell, or the failure). */
export function amountFenOf(cell: RawCell, unit: 'yuan' | 'fen' = 'yuan'): number | null | Failure {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return badAmount(String(cell));
    const raw = String(cell);
    const text = expandExponent(raw);
    if (text === null) return badAmount(raw);
    return amountFromText(text, unit === 'fen');
  }
  const s = cleanText(cell);
  if (s === '') return null;
  return amountFromText(s, unit === 'fen');
}

// ---------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian, pure integer maths; never the local-time Date object)

/** Civil date of a day count since 1970-01-01, into rY/rM/rD. */
function civilFromDays(days: number): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  rD = doy - Math.floor((153 * mp + 2) / 5) + 1;
  rM = mp < 10 ? mp + 3 : mp - 9;
  rY = yoe + era * 400 + (rM <= 2 ? 1 : 0);
}

function isValidDate(y: number, m: number, d: number): boolean {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  if (m === 2) return d <= ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28);
  return d <= (m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
}

const PAD2: string[] = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));

function fmtDate(y: number, m: number, d: number): string {
  return `${y}-${PAD2[m]}-${PAD2[d]}`;
}

function fmtTime(h: number, mi: number, s: number): string {
  return `${PAD2[h]}:${PAD2[mi]}:${PAD2[s]}`;
}

// Scratch registers written by the scanners, so no result object is allocated per cell.
let rY = 0;
let rM = 0;
let rD = 0;
let rH = 0;
let rMi = 0;
let rS = 0;
let rPos = 0;

const EPOCH_1899_12_30 = daysFromCivil(1899, 12, 30);
const EPOCH_1899_12_31 = daysFromCivil(1899, 12, 31);
const EPOCH_1904_01_01 = daysFromCivil(1904, 1, 1);
const MAX_SERIAL_1900 = 2958465; // 9999-12-31
const MAX_SERIAL_1904 = MAX_SERIAL_1900 - 1462;

const SERIAL_OK = 0;
const SERIAL_RANGE = 1;
const SERIAL_FAKE_LEAP_DAY = 2;

/** Splits an Excel serial (days + fraction) into rY/rM/rD and rH/rMi/rS, rounding to the second. */
function fromSerial(serial: number, date1904: boolean): number {
  if (!Number.isFinite(serial) || serial < 0) return SERIAL_RANGE;
  // The fraction is split off first (exact in floating point) so that the time of day is the
  // same as parseTime's; a fraction that rounds up to 24:00:00 rolls over to the next day.
  let days = Math.floor(serial);
  let secs = Math.round((serial - days) * 86400);
  if (secs === 86400) {
    days++;
    secs = 0;
  }
  if (date1904) {
    if (days > MAX_SERIAL_1904) return SERIAL_RANGE;
    civilFromDays(EPOCH_1904_01_01 + days);
  } else {
    if (days < 1 || days > MAX_SERIAL_1900) return SERIAL_RANGE;
    // Lotus 1-2-3 compatibility: serial 60 is the non-existent 1900-02-29.
    if (days === 60) return SERIAL_FAKE_LEAP_DAY;
    civilFromDays((days < 60 ? EPOCH_1899_12_31 : EPOCH_1899_12_30) + days);
  }
  rH = Math.floor(secs / 3600);
  rMi = Math.floor(secs / 60) % 60;
  rS = secs % 60;
  return SERIAL_OK;
}

function serialFailure(code: number, text: string) {
  return code === SERIAL_FAKE_LEAP_DAY
    ? fail(
        `Excel 日期序号 60 对应不存在的日期 1900-02-29："${shown(text)}"`,
        `Excel serial 60 is the non-existent date 1900-02-29: "${shown(text)}"`,
      )
    : fail(`Excel 日期序号超出范围："${shown(text)}"`, `Excel date serial out of range: "${shown(text)}"`);
}

// ---------------------------------------------------------------------------------------------
// Date and time text scanners

function digitRun(s: string, i: number, end: number): number {
  let k = i;
  while (k < end) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) break;
    k++;
  }
  return k - i;
}

function intAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) v = v * 10 + (s.charCodeAt(k) - 48);
  return v;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x3000;
}

/** Excel serial written as text: up to 5 digits, optionally a fraction. Returns the value or -1. */
function serialText(s: string, requireFraction: boolean): number {
  const end = s.length;
  const n = digitRun(s, 0, end);
  if (n === 0 || n > 5) return -1;
  if (n === end) return requireFraction ? -1 : intAt(s, 0, n);
  if (s.charCodeAt(n) !== 46) return -1;
  if (digitRun(s, n + 1, end) !== end - n - 1) return -1;
  return Number(s);
}

const D_NONE = 0;
const D_SEP = 1; // YYYY-MM-DD, YYYY/M/D, YYYY.MM.DD, YYYY年M月D (no 日)
const D_CJK = 2; // YYYY年M月D日: a time may follow without a separator
const D_COMPACT = 3; // YYYYMMDD, possibly the start of a 12/14-digit run

/** Scans a date at the start of s into rY/rM/rD; rPos is set just past it. */
function scanDate(s: string, end: number): number {
  const n = digitRun(s, 0, end);
  if (n === 8 || n === 12 || n === 14) {
    rY = intAt(s, 0, 4);
    rM = intAt(s, 4, 2);
    rD = intAt(s, 6, 2);
    rPos = 8;
    return D_COMPACT;
  }
  if (n !== 4 || end < 6) return D_NONE;
  rY = intAt(s, 0, 4);
  let p = 4;
  const sep = s.charCodeAt(p);
  const cjk = sep === 0x5e74; /* 年 */
  if (!cjk && sep !== 45 && sep !== 47 && sep !== 46) return D_NONE;
  p++;
  const mn = digitRun(s, p, end);
  if (mn < 1 || mn > 2) return D_NONE;
  rM = intAt(s, p, mn);
  p += mn;
  if (p >= end || s.charCodeAt(p) !== (cjk ? 0x6708 /* 月 */ : sep)) return D_NONE;
  p++;
  const dn = digitRun(s, p, end);
  if (dn < 1 || dn > 2) return D_NONE;
  rD = intAt(s, p, dn);
  p += dn;
  if (cjk && p < end && s.charCodeAt(p) === 0x65e5 /* 日 */) {
    rPos = p + 1;
    return D_CJK;
  }
  rPos = p;
  return D_SEP;
}

/** Scans a time filling s[i..end) exactly into rH/rMi/rS (validated). Accepts H:MM[:SS[.fff]],
 *  full-width colons, 14时03分[22秒], bare digits left-padded to HHMMSS (83533 → 08:35:33), and
 *  上午/下午 or AM/PM markers. */
function scanTime(s: string, start: number, end: number): boolean {
  let i = start;
  let half = -1; // -1 none, 0 AM, 12 PM
  if (end - i >= 2 && s.charCodeAt(i + 1) === 0x5348 /* 午 */) {
    const c0 = s.charCodeAt(i);
    if (c0 === 0x4e0a /* 上 */) half = 0;
    else if (c0 === 0x4e0b /* 下 */) half = 12;
    if (half >= 0) {
      i += 2;
      while (i < end && isSpace(s.charCodeAt(i))) i++;
    }
  }
  const n = digitRun(s, i, end);
  if (n === 0) return false;
  let p = i + n;
  const c = p < end ? s.charCodeAt(p) : -1;
  if (c === 58 || c === 0xff1a) {
    if (n > 2) return false;
    rH = intAt(s, i, n);
    p++;
    const mn = digitRun(s, p, end);
    if (mn < 1 || mn > 2) return false;
    rMi = intAt(s, p, mn);
    p += mn;
    rS = 0;
    if (p < end && (s.charCodeAt(p) === 58 || s.charCodeAt(p) === 0xff1a)) {
      p++;
      const sn = digitRun(s, p, end);
      if (sn < 1 || sn > 2) return false;
      rS = intAt(s, p, sn);
      p += sn;
      if (p < end && s.charCodeAt(p) === 46) {
        // Fractional seconds: dropped (the wall-clock second is what matters).
        const fn = digitRun(s, p + 1, end);
        if (fn === 0) return false;
        p += 1 + fn;
      }
    }
  } else if (c === 0x65f6 /* 时 */ || c === 0x70b9 /* 点 */) {
    if (n > 2) return false;
    rH = intAt(s, i, n);
    p++;
    rMi = 0;
    rS = 0;
    const mn = digitRun(s, p, end);
    if (mn > 2) return false;
    if (mn > 0) {
      rMi = intAt(s, p, mn);
      p += mn;
      if (p >= end || s.charCodeAt(p) !== 0x5206 /* 分 */) return false;
      p++;
      const sn = digitRun(s, p, end);
      if (sn > 2) return false;
      if (sn > 0) {
        rS = intAt(s, p, sn);
        p += sn;
        if (p >= end || s.charCodeAt(p) !== 0x79d2 /* 秒 */) return false;
        p++;
      }
    }
  } else {
    if (n > 6) return false;
    const v = intAt(s, i, n);
    rH = Math.floor(v / 10000);
    rMi = Math.floor(v / 100) % 100;
    rS = v % 100;
  }
  while (p < end && isSpace(s.charCodeAt(p))) p++;
  if (half < 0 && end - p === 2 && (s.charCodeAt(p + 1) | 32) === 109 /* m */) {
    const a = s.charCodeAt(p) | 32;
    if (a === 97 /* a */) half = 0;
    else if (a === 112 /* p */) half = 12;
    if (half >= 0) p += 2;
  }
  if (p !== end) return false;
  if (half >= 0) {
    if (rH > 12) return false;
    rH = (rH % 12) + half;
  }
  return rH < 24 && rMi < 60 && rS < 60;
}

const ST_NO_DATE = 0;
const ST_BAD = 1;
const ST_DATE = 2;
const ST_DATETIME = 3;

const DB2_TIME = /^(\d{2})\.(\d{2})\.(\d{2})(?:\.\d{1,6})?$/;

/** Scans date[ time] text. With withTime false the part after the date is only checked to start
 *  like a time (separator or compact digits), not parsed. */
function scanDateTime(s: string, withTime: boolean): number {
  const end = s.length;
  const kind = scanDate(s, end);
  if (kind === D_NONE) return ST_NO_DATE;
  let p = rPos;
  if (p === end) return ST_DATE;
  if (kind === D_COMPACT) {
    const rest = end - p;
    if ((rest === 4 || rest === 6) && digitRun(s, p, end) === rest) {
      if (withTime) {
        rH = intAt(s, p, 2);
        rMi = intAt(s, p + 2, 2);
        rS = rest === 6 ? intAt(s, p + 4, 2) : 0;
        if (rH > 23 || rMi > 59 || rS > 59) return ST_BAD;
      }
      return ST_DATETIME;
    }
  }
  const c = s.charCodeAt(p);
  if (c === 45 /* - */ && kind !== D_COMPACT && kind !== D_CJK) {
    // The DB2 timestamp some bank systems export (ICBC): 2026-11-06-09.12.33.123456
    const t = DB2_TIME.exec(s.slice(p + 1));
    if (!t) return ST_BAD;
    if (withTime) {
      rH = Number(t[1]);
      rMi = Number(t[2]);
      rS = Number(t[3]);
      if (rH > 23 || rMi > 59 || rS > 59) return ST_BAD;
    }
    return ST_DATETIME;
  }
  if (c === 84 /* T */ || isSpace(c)) {
    p++;
    while (p < end && isSpace(s.charCodeAt(p))) p++;
    if (p === end) return ST_BAD;
  } else if (kind !== D_CJK) {
    return ST_BAD;
  }
  if (!withTime) return ST_DATETIME;
  return scanTime(s, p, end) ? ST_DATETIME : ST_BAD;
}

function badDate(text: string) {
  return fail(`无法识别的日期："${shown(text)}"`, `Not a valid date: "${shown(text)}"`);
}

function noSuchDate(text: string) {
  return fail(`日期不存在："${shown(text)}"`, `No such calendar date: "${shown(text)}"`);
}

function badTime(text: string) {
  return fail(`无法识别的时间："${shown(text)}"`, `Not a valid time: "${shown(text)}"`);
}

function badDateTime(text: string) {
  return fail(`无法识别的日期时间："${shown(text)}"`, `Not a valid date and time: "${shown(text)}"`);
}

/** A date written as all zeros (0000-00-00, 00000000) is how some systems write "no date". */
function isZeroDate(): boolean {
  return rY === 0 && rM === 0 && rD === 0;
}

// ---------------------------------------------------------------------------------------------
// Date, time, date-time

/** Whether s begins with a valid date written exactly as fmtDate writes it ('YYYY-MM-DD'). */
function isCanonicalDate(s: string): boolean {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  return isValidDate(digitsAt(s, 0, 4), digitsAt(s, 5, 2), digitsAt(s, 8, 2));
}

/** Whether s is a valid date-time written exactly as parseDateTime writes it
 *  ('YYYY-MM-DD HH:MM:SS'), which is how nearly every CSV export writes it. */
function isCanonicalDateTime(s: string): boolean {
  if (s.length !== 19 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return false;
  }
  if (!isCanonicalDate(s)) return false;
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  return h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60;
}

/** 'YYYY-MM-DD' from a date cell; any time part is ignored. Numeric cells are Excel serials in
 *  the workbook's date system (8-digit integers are read as YYYYMMDD). */
export function parseDate(cell: RawCell, date1904: boolean): ParseResult<string | null> {
  let s: string;
  if (typeof cell === 'number') {
    if (!(Number.isInteger(cell) && cell >= 1e7)) {
      const code = fromSerial(cell, date1904);
      return code === SERIAL_OK ? ok(fmtDate(rY, rM, rD)) : serialFailure(code, String(cell));
    }
    s = String(cell);
  } else {
    s = cleanText(cell);
    if (s === '') return NULL_OK;
    // Fast path: text already in the output form is its own result (the scan below would
    // rebuild the same string).
    if (s.length === 10 && isCanonicalDate(s)) return ok(s);
    const serial = serialText(s, false);
    if (serial >= 0) {
      if (serial < 1) return serialFailure(SERIAL_RANGE, s);
      const code = fromSerial(serial, date1904);
      return code === SERIAL_OK ? ok(fmtDate(rY, rM, rD)) : serialFailure(code, s);
    }
  }
  const st = scanDateTime(s, false);
  if (st === ST_NO_DATE || st === ST_BAD) return badDate(s);
  if (isZeroDate()) return NULL_OK;
  if (!isValidDate(rY, rM, rD)) return noSuchDate(s);
  return ok(fmtDate(rY, rM, rD));
}

/** Time of day of an Excel day fraction or serial, rounded to the nearest second. */
function timeOfDay(serial: number): ParseResult<string | null> {
  const secs = Math.round((serial - Math.floor(serial)) * 86400) % 86400;
  return ok(fmtTime(Math.floor(secs / 3600), Math.floor(secs / 60) % 60, secs % 60));
}

/** 'HH:MM:SS' from a time cell, or the time part of a date-time; null when the cell is empty or
 *  holds a date only. Numeric cells: integers are HHMMSS digits (83533 → 08:35:33), numbers with
 *  a fraction are Excel day fractions (or serials whose fraction is the time of day). */
export function parseTime(cell: RawCell, _date1904: boolean): ParseResult<string | null> {
  let s: string;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 0) return badTime(String(cell));
    if (!Number.isInteger(cell)) return timeOfDay(cell);
    s = String(cell);
  } else {
    s = cleanText(cell);
    if (s === '') return NULL_OK;
    const serial = serialText(s, true);
    if (serial >= 0) return timeOfDay(serial);
  }
  const st = scanDateTime(s, true);
  if (st === ST_DATETIME) return ok(fmtTime(rH, rMi, rS));
  if (st === ST_DATE) return NULL_OK;
  if (st === ST_BAD) return badTime(s);
  return scanTime(s, 0, s.length) ? ok(fmtTime(rH, rMi, rS)) : badTime(s);
}

/** 'YYYY-MM-DD HH:MM:SS' from a combined date-time cell (a date alone gives 00:00:00). Numeric
 *  cells are Excel serials (8- and 14-digit integers are read as YYYYMMDD[HHMMSS]). */
export function parseDateTime(cell: RawCell, date1904: boolean): ParseResult<string | null> {
  let s: string;
  if (typeof cell === 'number') {
    if (!(Number.isInteger(cell) && cell >= 1e7)) {
      const code = fromSerial(cell, date1904);
      return code === SERIAL_OK
        ? ok(`${fmtDate(rY, rM, rD)} ${fmtTime(rH, rMi, rS)}`)
        : serialFailure(code, String(cell));
    }
    s = String(cell);
  } else {
    s = cleanText(cell);
    if (s === '') return NULL_OK;
    // Fast path: text already in the output form is its own result (the scan below would
    // rebuild the same string).
    if (isCanonicalDateTime(s)) return ok(s);
    const serial = serialText(s, false);
    if (serial >= 0) {
      if (serial < 1) return serialFailure(SERIAL_RANGE, s);
      return parseDateTime(serial, date1904);
    }
  }
  const st = scanDateTime(s, true);
  if (st === ST_NO_DATE || st === ST_BAD) return badDateTime(s);
  if (isZeroDate()) return NULL_OK;
  if (!isValidDate(rY, rM, rD)) return noSuchDate(s);
  if (st === ST_DATE) return ok(`${fmtDate(rY, rM, rD)} 00:00:00`);
  return ok(`${fmtDate(rY, rM, rD)} ${fmtTime(rH, rMi, rS)}`);
}

// ---------------------------------------------------------------------------------------------
// Identifiers

function isAllDigits(s: string): boolean {
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

function padDigits(digits: string, width: number): string {
  return digits.length < width ? '0'.repeat(width - digits.length) + digits : digits;
}

/** Excel's display of a large number as text: `1.23457E+11`. Only this exact shape (one leading
 *  digit, optional fraction, E, explicit '+', 1–3 exponent digits) counts, so alphanumeric codes
 *  like `12E456` are left alone. Returns the expanded digits, '' for a non-integer, or null. */
function scientificDigits(s: string): string | null {
  const end = s.length;
  if (end < 4) return null;
  const c0 = s.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return null;
  let p = 1;
  let fracLen = 0;
  if (s.charCodeAt(p) === 46) {
    fracLen = digitRun(s, p + 1, end);
    if (fracLen === 0) return null;
    p += 1 + fracLen;
  }
  if (p + 2 >= end || (s.charCodeAt(p) | 32) !== 101 /* e */ || s.charCodeAt(p + 1) !== 43) return null;
  const en = digitRun(s, p + 2, end);
  if (en < 1 || en > 3 || p + 2 + en !== end) return null;
  const exp = intAt(s, p + 2, en);
  if (exp < fracLen || exp > 40) return '';
  return expandExponent(s) ?? '';
}

/** An identifier (RRN, trace, batch, auth code, order number…) as text. Purely numeric values
 *  shorter than width get their leading zeros back. Values Excel could only keep approximately
 *  (numbers ≥ 1e15, `1.23457E+11` text) are returned as best-effort digits with truncated: true. */
export function parseIdentifier(
  cell: RawCell,
  width = 0,
): ParseResult<{ value: string; truncated: boolean } | null> {
  const v = identifierOf(cell, width);
  if (v === null) return NULL_OK;
  return typeof v === 'string' ? ok({ value: v, truncated: rTruncated }) : v;
}

/** Whether the identifier identifierOf last returned is only approximate (see parseIdentifier). */
let rTruncated = false;

/** parseIdentifier for the row loop, which runs it on millions of cells: the same answer without
 *  result objects (the identifier, null for an empty cell, or the failure); identifierTruncated()
 *  tells whether the identifier returned is approximate. */
export function identifierOf(cell: RawCell, width = 0): string | null | Failure {
  rTruncated = false;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || !Number.isInteger(cell) || cell < 0) {
      const t = String(cell);
      return fail(
        `编号应为非负整数或文本："${shown(t)}"`,
        `An identifier must be text or a non-negative whole number: "${shown(t)}"`,
      );
    }
    if (cell < 1e15) return padDigits(String(cell), width);
    // Excel keeps 15 significant digits: show those, then zeros.
    const digits = expandExponent(cell.toPrecision(15)) ?? String(cell);
    rTruncated = true;
    return padDigits(digits, width);
  }
  const s = cleanText(cell);
  if (s === '') return null;
  const sci = scientificDigits(s);
  if (sci !== null) {
    if (sci === '') {
      return fail(
        `编号被 Excel 显示为科学计数法且不是整数："${shown(s)}"`,
        `Identifier shown by Excel in scientific notation is not a whole number: "${shown(s)}"`,
      );
    }
    rTruncated = true;
    return padDigits(sci, width);
  }
  if (width > s.length && isAllDigits(s)) return padDigits(s, width);
  return s;
}

export function identifierTruncated(): boolean {
  return rTruncated;
}

/** Last 4 digits of a (masked) card number, or null when it does not end in 4 digits. */
export function cardLast4(cardNo: string | null): string | null {
  if (cardNo === null || cardNo === undefined) return null;
  let end = cardNo.length;
  while (end > 0 && isTrim(cardNo.charCodeAt(end - 1))) end--;
  if (end < 4) return null;
  for (let k = end - 4; k < end; k++) {
    const c = cardNo.charCodeAt(k);
    if (c < 48 || c > 57) return null;
  }
  return cardNo.slice(end - 4, end);
}

// ---------------------------------------------------------------------------------------------
// Code lists

function has(s: string, ...words: string[]): boolean {
  for (const w of words) if (s.includes(w)) return true;
  return false;
}

/** Code-list cells repeat a handful of values millions of times: remember what each text maps
 *  to. Only short texts are kept (so a cached key never pins a large decoded chunk it was cut
 *  from), and only so many of them. */
function memoized<T>(fn: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    let v = cache.get(text);
    if (v === undefined) {
      v = fn(text);
      if (typeof text === 'string' && text.length <= 12 && cache.size < 512) cache.set(text, v);
    }
    return v;
  };
}

export const normalizeCardType: (text: string) => CardType = memoized(cardTypeOf);
export const normalizeTxnType: (text: string) => TxnType = memoized(txnTypeOf);
export const normalizeStatus: (text: string) => TxnStatus = memoized(statusOf);

function cardTypeOf(text: string): CardType {
  const t = cleanText(text).toLowerCase();
  if (t === '') return 'unknown';
  switch (t) {
    case '00':
    case 'd':
    case 'dc':
      return 'debit';
    case '01':
    case 'c':
    case 'cc':
      return 'credit';
    case '02':
    case 'scc':
      return 'quasi_credit';
    case '03':
    case 'pc':
      return 'prepaid';
  }
  // 准贷记 before 贷记: 准贷记卡 contains 贷记.
  if (has(t, '准贷记', 'quasi')) return 'quasi_credit';
  if (has(t, '贷记', '信用卡', 'credit')) return 'credit';
  if (has(t, '借记', '储蓄', 'debit')) return 'debit';
  if (has(t, '预付', 'prepaid')) return 'prepaid';
  if (has(t, '微信', '支付宝', '云闪付', '二维码', '扫码', 'qr', 'wechat', 'weixin', 'alipay')) return 'qr';
  return 'unknown';
}

function txnTypeOf(text: string): TxnType {
  const t = cleanText(text).toUpperCase();
  if (t === '') return 'unknown';
  switch (t) {
    case '贷':
    case 'C':
    case 'CR':
    case 'CREDIT':
      return 'credit';
    case '借':
    case 'D':
    case 'DR':
    case 'DEBIT':
      return 'debit';
    case '交易':
      return 'sale';
  }
  // Order matters: 消费冲正 is a reversal, 消费撤销 and 预授权完成撤销 are voids, 支付退款 a refund.
  if (has(t, '冲正', 'REVERSAL')) return 'reversal';
  if (has(t, '撤销', '撤消', 'REVOKED', 'VOID')) return 'void';
  if (has(t, '退货', '退款', 'REFUND')) return 'refund';
  if (t.includes('预授权完成')) return 'preauth_complete';
  if (has(t, '消费', '支付', '收款', 'SUCCESS', 'SALE', 'PURCHASE')) return 'sale';
  if (has(t, '来账', '贷方', '收入', '入账')) return 'credit';
  if (has(t, '往账', '借方', '支出', '出账')) return 'debit';
  return 'unknown';
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function statusOf(text: string): TxnStatus {
  const t = cleanText(text).toUpperCase();
  if (t === '') return 'unknown';
  if (t === '00' || t === 'OK') return 'success';
  if (has(t, '超时', 'TIMEOUT', '无应答')) return 'timeout';
  if (has(t, '失败', '未成功', '不成功', '拒绝', 'FAIL', 'CLOSED', '关闭', 'PAYERROR')) return 'failed';
  if (has(t, '处理中', '未知', '未支付', '支付中', 'NOTPAY', 'USERPAYING', 'PENDING', 'PROCESSING')) {
    return 'pending';
  }
  if (has(t, '成功', 'SUCCESS', '正常', '已清算', '已结算')) return 'success';
  // Response codes: 00 approved (above), 98 no answer from the issuer, anything else declined.
  if (t.length === 2 && isAsciiAlnum(t.charCodeAt(0)) && isAsciiAlnum(t.charCodeAt(1))) {
    return t === '98' ? 'timeout' : 'failed';
  }
  return 'unknown';
}
