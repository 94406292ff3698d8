import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../../../electron/engine/import/readers/types';
import {
  checkZip,
  inflateEntry,
  MAX_ZIP_ENTRIES,
  readZipDirectory,
} from '../../../../../electron/engine/import/readers/zip-guard';
import { limitsWith, readErrorOf } from '../../../../helpers/errors';
import { patchDeclaredSize } from '../../../../helpers/xlsx';

interface HandEntry {
  name: string;
  data: Uint8Array;
  /** Declared uncompressed size written in a ZIP64 extra field (the data itself is stored as is). */
  zip64Size?: number;
}

/** A stored (uncompressed) zip written byte by byte, optionally with ZIP64 records. */
function handZip(entries: HandEntry[], opts: { zip64Eocd?: boolean } = {}): Uint8Array {
  const parts: number[] = [];
  const u16 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff);
  const u32 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const u64 = (v: number) => {
    u32(v % 0x1_0000_0000);
    u32(Math.floor(v / 0x1_0000_0000));
  };
  const bytes = (b: Uint8Array) => {
    for (const x of b) parts.push(x);
  };
  const offsets: number[] = [];
  for (const e of entries) {
    offsets.push(parts.length);
    const name = strToU8(e.name);
    u32(0x04034b50);
    u16(20);
    u16(0);
    u16(0); // stored
    u16(0);
    u16(0);
    u32(0); // crc (not checked)
    u32(e.data.length);
    u32(e.data.length);
    u16(name.length);
    u16(0);
    bytes(name);
    bytes(e.data);
  }
  const cdStart = parts.length;
  entries.forEach((e, i) => {
    const name = strToU8(e.name);
    u32(0x02014b50);
    u16(45);
    u16(45);
    u16(0);
    u16(0);
    u16(0);
    u16(0);
    u32(0);
    if (e.zip64Size !== undefined) {
      u32(0xffffffff);
      u32(0xffffffff);
    } else {
      u32(e.data.length);
      u32(e.data.length);
    }
    u16(name.length);
    u16(e.zip64Size !== undefined ? 20 : 0);
    u16(0);
    u16(0);
    u16(0);
    u32(0);
    u32(offsets[i]!);
    bytes(name);
    if (e.zip64Size !== undefined) {
      u16(0x0001);
      u16(16);
      u64(e.zip64Size); // uncompressed
      u64(e.data.length); // compressed
    }
  });
  const cdSize = parts.length - cdStart;
  if (opts.zip64Eocd) {
    const rec = parts.length;
    u32(0x06064b50);
    u64(44);
    u16(45);
    u16(45);
    u32(0);
    u32(0);
    u64(entries.length);
    u64(entries.length);
    u64(cdSize);
    u64(cdStart);
    u32(0x07064b50);
    u32(0);
    u64(rec);
    u32(1);
  }
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(opts.zip64Eocd ? 0xffff : entries.length);
  u16(opts.zip64Eocd ? 0xffff : entries.length);
  u32(opts.zip64Eocd ? 0xffffffff : cdSize);
  u32(opts.zip64Eocd ? 0xffffffff : cdStart);
  u16(0);
  return new Uint8Array(parts);
}

describe('checkZip', () => {
  it('accepts an ordinary zip and lists its entries without inflating', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello'), 'dir/b.xml': strToU8('<x/>'.repeat(1000)) });
    expect(() => checkZip(zip, DEFAULT_LIMITS)).not.toThrow();
    const entries = readZipDirectory(zip, DEFAULT_LIMITS);
    expect(entries.map((e) => e.name)).toEqual(['a.txt', 'dir/b.xml']);
    expect(entries[1]!.uncompressedSize).toBe(4000);
  });

  it('refuses a real high-ratio entry (zip bomb)', () => {
    const zeros = new Uint8Array(20 * 1024 * 1024);
    const zip = zipSync({ 'xl/worksheets/sheet1.xml': zeros }, { level: 9 });
    expect(zip.length).toBeLessThan(100_000);
    const err = readErrorOf(() => checkZip(zip, DEFAULT_LIMITS));
    expect(err.code).toBe('zip_bomb');
    expect(err.zh).toContain('压缩比');
    expect(err.en).toContain('compression ratio');
  });

  it('allows a high ratio for small entries (below 10 MB)', () => {
    const zip = zipSync({ 'z.bin': new Uint8Array(5 * 1024 * 1024) }, { level: 9 });
    expect(() => checkZip(zip, DEFAULT_LIMITS)).not.toThrow();
  });

  it('refuses a total declared size over maxUnzippedBytes', () => {
    const noise = new Uint8Array(300_000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const zip = zipSync({ a: noise, b: noise, c: noise, d: noise });
    expect(() => checkZip(zip, limitsWith({ maxUnzippedBytes: 1_500_000 }))).not.toThrow();
    const err = readErrorOf(() => checkZip(zip, limitsWith({ maxUnzippedBytes: 1_000_000 })));
    expect(err.code).toBe('zip_bomb');
    expect(err.en).toContain('limit');
  });

  it(`refuses more than ${MAX_ZIP_ENTRIES} entries`, () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i <= MAX_ZIP_ENTRIES; i++) files[`f${i}`] = new Uint8Array(0);
    const zip = zipSync(files, { level: 0 });
    expect(readErrorOf(() => checkZip(zip, DEFAULT_LIMITS)).code).toBe('zip_bomb');
  });

  it('reads ZIP64 extra fields and ZIP64 end records', () => {
    const data = strToU8('<x/>');
    const small = handZip([{ name: 'a.xml', data, zip64Size: 4 }], { zip64Eocd: true });
    const [entry] = readZipDirectory(small, DEFAULT_LIMITS);
    expect(entry).toMatchObject({ name: 'a.xml', uncompressedSize: 4, compressedSize: 4 });
    expect(new TextDecoder().decode(Buffer.concat([...inflateEntry(small, entry!, DEFAULT_LIMITS)]))).toBe(
      '<x/>',
    );

    // A 3 GB claim is caught from the directory alone.
    const huge = handZip([{ name: 'xl/worksheets/sheet1.xml', data, zip64Size: 3 * 1024 ** 3 }]);
    const err = readErrorOf(() => checkZip(huge, DEFAULT_LIMITS));
    expect(err.code).toBe('zip_bomb');
  });

  it('reports damaged directories as zip_corrupt', () => {
    const zip = zipSync({ 'a.txt': strToU8('hello world') });
    expect(readErrorOf(() => checkZip(new Uint8Array(10), DEFAULT_LIMITS)).code).toBe('zip_corrupt');
    expect(
      readErrorOf(() => checkZip(strToU8('PK this is not really a zip file at all, no'), DEFAULT_LIMITS))
        .code,
    ).toBe('zip_corrupt');
    // Cut off the start: the directory points outside the file.
    expect(readErrorOf(() => checkZip(zip.subarray(20), DEFAULT_LIMITS)).code).toBe('zip_corrupt');
    // Break the first central directory signature.
    const broken = zip.slice();
    const view = new DataView(broken.buffer);
    for (let o = 0; o + 4 <= broken.length; o++) {
      if (view.getUint32(o, true) === 0x02014b50) {
        broken[o] = 0;
        break;
      }
    }
    const err = readErrorOf(() => checkZip(broken, DEFAULT_LIMITS));
    expect(err.code).toBe('zip_corrupt');
    expect(err.zh).toContain('损坏');
    expect(err.en).toContain('damaged');
  });
});

describe('inflateEntry', () => {
  it('inflates an entry in chunks', () => {
    let text = '';
    for (let i = 0; i < 200_000; i++) text += `${(i * 2654435761) % 1000003},`;
    const zip = zipSync({ 'a.csv': strToU8(text) });
    const [entry] = readZipDirectory(zip, DEFAULT_LIMITS);
    const chunks = [...inflateEntry(zip, entry!, DEFAULT_LIMITS)].map((c) => c.slice());
    expect(chunks.length).toBeGreaterThan(1);
    expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe(text);
  });

  it('stops as soon as the output passes a size the directory lied about', () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const zip = zipSync({ 'xl/worksheets/sheet1.xml': zeros }, { level: 9 });
    patchDeclaredSize(zip, 'xl/worksheets/sheet1.xml', 100_000);
    const [entry] = readZipDirectory(zip, DEFAULT_LIMITS);
    expect(entry!.uncompressedSize).toBe(100_000);
    let produced = 0;
    const err = readErrorOf(() => {
      for (const chunk of inflateEntry(zip, entry!, DEFAULT_LIMITS)) produced += chunk.length;
    });
    expect(err.code).toBe('zip_bomb');
    expect(produced).toBeLessThanOrEqual(100_000);
  });

  it('stops at maxUnzippedBytes when that is below the declared size', () => {
    const zeros = new Uint8Array(3 * 1024 * 1024);
    const zip = zipSync({ big: zeros }, { level: 9 });
    const [entry] = readZipDirectory(zip, DEFAULT_LIMITS);
    let produced = 0;
    const err = readErrorOf(() => {
      for (const chunk of inflateEntry(zip, entry!, limitsWith({ maxUnzippedBytes: 1024 * 1024 })))
        produced += chunk.length;
    });
    expect(err.code).toBe('zip_bomb');
    expect(produced).toBeLessThanOrEqual(1024 * 1024);
  });

  it('reports a damaged deflate stream as zip_corrupt', () => {
    const zip = zipSync({ a: strToU8('some text '.repeat(10_000)) });
    const [entry] = readZipDirectory(zip, DEFAULT_LIMITS);
    const start = entry!.localHeaderOffset + 30 + 1;
    const broken = zip.slice();
    for (let i = start; i < start + 40; i++) broken[i] = 0xff;
    expect(readErrorOf(() => [...inflateEntry(broken, entry!, DEFAULT_LIMITS)]).code).toBe('zip_corrupt');
  });
});
