import { daysFromCivil, digitsAt } from '../time';

const DAY_2000_01_01 = daysFromCivil(2000, 1, 1);

/** hash53's starting state, before the seed is mixed in (JsonArrayWriter hashes as it writes). */
export const HASH53_SEED = [0xdeadbeef, 0x41c6ce57] as const;

/** A 53-bit hash (cyrb53), exact in a JS number and in an SQLite INTEGER. `seed` separates the
 *  occurrences of one key within a file. Collisions are checked by the caller, never trusted. */
export function hash53(text: string, seed = 0): number {
  let h1 = HASH53_SEED[0] ^ seed;
  let h2 = HASH53_SEED[1] ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return hash53Finish(h1, h2);
}

/** hash53's last step, from the state after the last UTF-16 unit. */
export function hash53Finish(a: number, b: number): number {
  let h1 = a;
  let h2 = b;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Seconds of a 'YYYY-MM-DD HH:MM:SS' wall-clock time since 2000-01-01 00:00:00 (no time zone);
 *  0 for a missing or out-of-range time. Computed from the digits (this runs for every record of
 *  an import and a reconcile); anything but plain digits goes through Date.UTC. */
export function wallSeconds(time: string | null): number {
  return time === null ? 0 : wallSecondsIn(time, 0, time.length);
}

/** wallSeconds of the time in text[start..end), read in place (the reconcile's loader finds times
 *  inside a stored row's fields JSON). */
export function wallSecondsIn(text: string, start: number, end: number): number {
  if (end - start < 10) return 0;
  const y = digitsAt(text, start, 4);
  const m = digitsAt(text, start + 5, 2);
  const d = digitsAt(text, start + 8, 2);
  const full = end - start >= 19;
  const h = full ? digitsAt(text, start + 11, 2) : 0;
  const min = full ? digitsAt(text, start + 14, 2) : 0;
  const s = full ? digitsAt(text, start + 17, 2) : 0;
  if (y < 0 || m < 1 || m > 12 || d < 0 || h < 0 || min < 0 || s < 0)
    return wallSecondsByDate(text.slice(start, end));
  const hms = h * 3600 + min * 60 + s;
  const total = (daysFromCivil(y, m, d) - DAY_2000_01_01) * 86_400 + hms;
  return total > 0 && total < 2 ** 31 ? total : 0;
}

function wallSecondsByDate(time: string): number {
  const days = Date.UTC(+time.slice(0, 4), +time.slice(5, 7) - 1, +time.slice(8, 10)) / 86_400_000 - 10_957;
  const secs =
    time.length >= 19 ? +time.slice(11, 13) * 3600 + +time.slice(14, 16) * 60 + +time.slice(17, 19) : 0;
  const total = days * 86_400 + secs;
  return total > 0 && total < 2 ** 31 ? total : 0;
}

/** The values of a fingerprint's hash bits (22 of them) below its second. */
const HASH_SPAN = 4_194_304;

/**
 * A record's fingerprint: its wall-clock second in the high bits and its content hash below.
 * Exports are ordered by time, so new fingerprints land next to each other in the unique index
 * instead of all over it, which keeps bulk inserts fast. Collisions are checked by the caller.
 */
export function fingerprint(seconds: number, contentHash: number): number {
  return seconds * HASH_SPAN + (contentHash % HASH_SPAN);
}

/** The wall-clock second a fingerprint was made with (not of one moved by a collision). */
export function fingerprintSeconds(fp: number): number {
  return Math.floor(fp / HASH_SPAN);
}

/** The content hash of the n-th (n ≥ 1) identical row within one file. */
export function occurrenceHash(contentHash: number, occurrence: number): number {
  return hash53(String(contentHash), occurrence);
}
