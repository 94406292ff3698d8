import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash53 } from '../../../../electron/engine/store/fingerprint';
import { JsonArrayWriter } from '../../../../electron/engine/store/json-array-writer';

/** What the writer stands in for: JSON.stringify, hashed, then converted to UTF-8. */
function expected(values: Array<string | number | null>, seed: number) {
  const text = JSON.stringify(values);
  return { bytes: Buffer.from(text, 'utf8'), hash: hash53(text, seed) };
}

function written(values: Array<string | number | null>, seed: number, at = 7) {
  const writer = new JsonArrayWriter();
  const out = Buffer.alloc(at + JsonArrayWriter.maxBytes(values));
  const end = writer.write(values, out, at, seed);
  return { bytes: out.subarray(at, end), hash: writer.hash };
}

describe('JsonArrayWriter', () => {
  it('writes the bytes of JSON.stringify and hashes its text, for any strings, numbers and nulls', () => {
    const value = fc.oneof(
      // 'binary' units include lone surrogates, which JSON.stringify escapes.
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.constantFrom('交易', 'a"b\\c', '\u0000\u0008\t\n\u000b\f\r\u001f\u007f', '😀', '\ud83d', '\ude00x'),
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 25 }), fc.integer(), (values, seed) => {
        const got = written(values, seed);
        const want = expected(values, seed);
        expect(got.bytes.toString('hex')).toBe(want.bytes.toString('hex'));
        expect(got.hash).toBe(want.hash);
      }),
      { numRuns: 2000 },
    );
  });

  it('starts where it is told and leaves the bytes before it alone', () => {
    const writer = new JsonArrayWriter();
    const out = Buffer.alloc(64, 0x2a);
    const end = writer.write(['1234', null, 5], out, 3, 0);
    expect(out.subarray(0, end).toString()).toBe('***["1234",null,5]');
  });
});
