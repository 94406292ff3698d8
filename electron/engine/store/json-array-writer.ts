import { HASH53_SEED, hash53Finish } from './fingerprint';

const HEX = '0123456789abcdef';

/** Writes the UTF-8 of `c`, a UTF-16 unit from U+0080 up that is not a surrogate, into `out` from
 *  `at`; returns where it ends. */
export function writeBmpChar(out: Uint8Array, at: number, c: number): number {
  if (c < 0x800) {
    out[at] = 0xc0 | (c >> 6);
    out[at + 1] = 0x80 | (c & 63);
    return at + 2;
  }
  out[at] = 0xe0 | (c >> 12);
  out[at + 1] = 0x80 | ((c >> 6) & 63);
  out[at + 2] = 0x80 | (c & 63);
  return at + 3;
}

/** Writes the UTF-8 of the character a surrogate pair (high, low) stands for into `out` from `at`;
 *  returns where it ends. */
export function writeSurrogatePair(out: Uint8Array, at: number, high: number, low: number): number {
  const cp = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
  out[at] = 0xf0 | (cp >> 18);
  out[at + 1] = 0x80 | ((cp >> 12) & 63);
  out[at + 2] = 0x80 | ((cp >> 6) & 63);
  out[at + 3] = 0x80 | (cp & 63);
  return at + 4;
}

/** The characters JSON.stringify escapes with a letter (or themselves) after the backslash. */
const SHORT_ESCAPES = new Map(
  [...'"\\\b\t\n\f\r'].map((ch, i) => [ch.charCodeAt(0), '"\\btnfr'.charCodeAt(i)]),
);

/**
 * Writes a list of strings, numbers and nulls as the JSON text `JSON.stringify` gives, UTF-8
 * encoded, and hashes that text with hash53 in the same pass. Importing a file does this for every
 * row: building the JSON string, hashing it and then converting it to UTF-8 walked each row's text
 * three times and made a string to throw away.
 */
export class JsonArrayWriter {
  /** hash53 (under the given seed) of the JSON text last written. */
  hash = 0;
  private h1 = 0;
  private h2 = 0;
  private out: Uint8Array = new Uint8Array(0);
  private at = 0;

  /** The most bytes `values` can take: six per UTF-16 unit (an escape like \u001f), and room for
   *  quotes, commas and numbers. */
  static maxBytes(values: ReadonlyArray<string | number | null>): number {
    let n = 2;
    for (const v of values) n += typeof v === 'string' ? v.length * 6 + 3 : 25;
    return n;
  }

  /** Writes `values` into `out` from `at` (room for maxBytes(values) is the caller's to make);
   *  returns where the text ends. */
  write(values: ReadonlyArray<string | number | null>, out: Uint8Array, at: number, seed: number): number {
    this.out = out;
    this.at = at;
    this.h1 = HASH53_SEED[0] ^ seed;
    this.h2 = HASH53_SEED[1] ^ seed;
    this.ascii(91); // [
    for (let k = 0; k < values.length; k++) {
      if (k > 0) this.ascii(44); // ,
      const v = values[k];
      if (v === null || v === undefined) this.plain('null');
      else if (typeof v === 'number') this.plain(JSON.stringify(v));
      else this.string(v);
    }
    this.ascii(93); // ]
    this.hash = hash53Finish(this.h1, this.h2);
    return this.at;
  }

  private string(s: string): void {
    this.ascii(34);
    const out = this.out;
    // The state in locals for the loop (a field write per byte costs more than the byte itself),
    // put back around the rare characters the helper methods write.
    let at = this.at;
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c < 0x80 && c !== 34 && c !== 92) {
        out[at++] = c;
        h1 = Math.imul(h1 ^ c, 2654435761);
        h2 = Math.imul(h2 ^ c, 1597334677);
        continue;
      }
      const d = c >= 0xd800 && c < 0xdc00 && i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c < 0x80 || (c >= 0xd800 && c < 0xe000 && !(d >= 0xdc00 && d < 0xe000))) {
        // Escaped as JSON.stringify does: a quote, backslash, control character or lone surrogate.
        this.at = at;
        this.h1 = h1;
        this.h2 = h2;
        this.escape(c);
        at = this.at;
        h1 = this.h1;
        h2 = this.h2;
        continue;
      }
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
      if (d !== 0) {
        h1 = Math.imul(h1 ^ d, 2654435761);
        h2 = Math.imul(h2 ^ d, 1597334677);
        at = writeSurrogatePair(out, at, c, d);
        i++;
      } else at = writeBmpChar(out, at, c);
    }
    this.at = at;
    this.h1 = h1;
    this.h2 = h2;
    this.ascii(34);
  }

  /** A quote, backslash, control character or lone surrogate, escaped as JSON.stringify does. */
  private escape(c: number): void {
    const short = SHORT_ESCAPES.get(c);
    if (short !== undefined) {
      this.ascii(92);
      this.ascii(short);
      return;
    }
    this.plain('\\u');
    for (let shift = 12; shift >= 0; shift -= 4) this.ascii(HEX.charCodeAt((c >> shift) & 15));
  }

  private plain(text: string): void {
    for (let i = 0; i < text.length; i++) this.ascii(text.charCodeAt(i));
  }

  private ascii(c: number): void {
    this.out[this.at++] = c;
    this.h1 = Math.imul(this.h1 ^ c, 2654435761);
    this.h2 = Math.imul(this.h2 ^ c, 1597334677);
  }
}
