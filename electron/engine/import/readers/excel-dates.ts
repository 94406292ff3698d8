// Excel date serials and number formats, shared by the streaming .xlsx reader and the SheetJS reader.
// Only UTC calendar math is used: the machine's time zone must never shift a wall-clock value.

const MS_PER_DAY = 86_400_000;
/** 1900 system: serial 1 = 1900-01-01, so day 0 is 1899-12-31 (valid for serials below 60). */
const BASE_1900_EARLY = Date.UTC(1899, 11, 31);
/** 1900 system from serial 61 on: the fake 1900-02-29 (serial 60) shifts the base back one day. */
const BASE_1900_LATE = Date.UTC(1899, 11, 30);
/** 1904 system: serial 0 = 1904-01-01. */
const BASE_1904 = Date.UTC(1904, 0, 1);
/** Last second Excel can show: 9999-12-31 23:59:59. */
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function clock(secondsOfDay: number): string {
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay % 3600) / 60);
  const s = secondsOfDay % 60;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

function utcText(ms: number, secondsOfDay: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${clock(secondsOfDay)}`;
}

/**
 * An Excel date serial as 'YYYY-MM-DD HH:MM:SS', rounded to the nearest second.
 * 1900 system keeps Lotus' leap-year bug (serial 60 is the fake 1900-02-29, 61 is 1900-03-01);
 * 1904 system counts from 1904-01-01. Returns null for serials no calendar date can show
 * (negative, not finite, or after 9999-12-31), so the caller keeps the number.
 */
export function excelSerialToText(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  const totalSeconds = Math.round(serial * 86_400);
  const days = Math.floor(totalSeconds / 86_400);
  const secondsOfDay = totalSeconds - days * 86_400;
  let ms: number;
  if (date1904) ms = BASE_1904 + days * MS_PER_DAY;
  else if (days === 60) return `1900-02-29 ${clock(secondsOfDay)}`;
  else ms = (days < 60 ? BASE_1900_EARLY : BASE_1900_LATE) + days * MS_PER_DAY;
  if (ms + secondsOfDay * 1000 > MAX_MS) return null;
  return utcText(ms, secondsOfDay);
}

/** Built-in number format ids that Excel shows as dates or times (including the East Asian ones). */
export function isBuiltinDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

const ELAPSED = /^\[[hms]+\]$/i;

/**
 * Whether a number format code shows a date or time: a y/m/d/h/s (or era e/g, Buddhist B1/B2,
 * AM/PM, 上午/下午) token outside quoted text, escapes and [bracketed] sections; elapsed-time
 * brackets like [h] count as time. 'General', '0.00', '#,##0;[Red]-#,##0', '0.00E+00' do not.
 */
export function isDateFormat(code: string): boolean {
  const n = code.length;
  let i = 0;
  while (i < n) {
    const c = code[i]!;
    switch (c) {
      case '"': {
        const close = code.indexOf('"', i + 1);
        i = close < 0 ? n : close + 1;
        break;
      }
      case '\\':
      case '_':
      case '*':
        i += 2;
        break;
      case '[': {
        const close = code.indexOf(']', i + 1);
        if (close < 0) return false;
        if (ELAPSED.test(code.slice(i, close + 1))) return true;
        i = close + 1;
        break;
      }
      case 'G':
      case 'g':
        if (code.slice(i, i + 7).toLowerCase() === 'general') {
          i += 7;
          break;
        }
        return true; // g/gg/ggg: Japanese era name
      case 'B':
      case 'b':
        if (code[i + 1] === '1' || code[i + 1] === '2') return true;
        i++;
        break;
      case '0':
      case '#':
      case '?':
      case '.':
        // A digit placeholder run, including a scientific exponent such as E+00.
        i++;
        while (i < n && '0#?.,Ee+-%'.includes(code[i]!)) i++;
        break;
      case 'y':
      case 'Y':
      case 'm':
      case 'M':
      case 'd':
      case 'D':
      case 'h':
      case 'H':
      case 's':
      case 'S':
      case 'e':
      case 'E':
        return true;
      case 'A':
      case 'a':
        if (code.slice(i, i + 5).toUpperCase() === 'AM/PM' || code.slice(i, i + 3).toUpperCase() === 'A/P')
          return true;
        i++;
        break;
      case '上':
        if (code.startsWith('上午/下午', i)) return true;
        i++;
        break;
      default:
        i++;
    }
  }
  return false;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/;

/**
 * An ISO 8601 date-time from a t="d" cell as 'YYYY-MM-DD HH:MM:SS' (wall clock as written;
 * a zone suffix is ignored). Returns the input unchanged if it is not such a date.
 */
export function isoDateToText(iso: string): string {
  const m = ISO.exec(iso.trim());
  if (!m) return iso;
  const seconds = Math.round(Number(m[6] ?? 0));
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(ms)) return iso;
  const secondsOfDay = Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + seconds;
  if (secondsOfDay >= 86_400) {
    const extraDays = Math.floor(secondsOfDay / 86_400);
    return utcText(ms + extraDays * MS_PER_DAY, secondsOfDay - extraDays * 86_400);
  }
  return utcText(ms, secondsOfDay);
}
