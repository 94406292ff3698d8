import chardet from 'chardet';
import iconv from 'iconv-lite';
import { FileReadError } from './types';

const SAMPLE_BYTES = 64 * 1024;

/** Guesses a text file's encoding: BOMs first, then strict UTF-8, then chardet; Chinese exports
 *  that are not UTF-8 are nearly always GBK, so GB18030 (its superset) is the fallback. */
export function detectEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return utf16;
  if (isUtf8(sample, bytes.length > SAMPLE_BYTES)) return 'utf-8';
  const best = chardet.analyse(sample)[0];
  if (best && best.confidence >= 50 && (best.name === 'Big5' || best.name === 'Shift_JIS')) {
    return best.name.toLowerCase();
  }
  return 'gb18030';
}

/** ASCII text in UTF-16 has a zero byte in every other position. */
function utf16WithoutBom(sample: Uint8Array): string | null {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZeros++;
    if (sample[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

function isUtf8(sample: Uint8Array, truncated: boolean): boolean {
  // A sample cut from a longer file may end inside a multi-byte character: drop that tail.
  let end = sample.length;
  if (truncated) {
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && ((sample[end - back - 1] ?? 0) & 0xc0) === 0x80) back++;
    const lead = sample[end - back - 1] ?? 0;
    if (lead >= 0xc0) end = end - back - 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** A streaming decoder: Node's built-in TextDecoder where it knows the encoding (about three
 *  times faster than iconv-lite), iconv-lite for the rest. */
export interface ChunkDecoder {
  write(chunk: Uint8Array): string;
  end(): string;
}

export function createDecoder(encoding: string): ChunkDecoder {
  const label = encoding.toLowerCase() === 'gbk' ? 'gb18030' : encoding;
  let td: InstanceType<typeof TextDecoder> | null = null;
  try {
    td = new TextDecoder(label, { ignoreBOM: false });
  } catch {
    td = null;
  }
  if (td) {
    const native = td;
    return { write: (c) => native.decode(c, { stream: true }), end: () => native.decode() };
  }
  if (!iconv.encodingExists(encoding)) {
    throw new FileReadError('unknown_encoding', `不认识的编码：${encoding}`, `Unknown encoding: ${encoding}`);
  }
  const dec = iconv.getDecoder(encoding);
  return {
    write: (c) => dec.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength)),
    end: () => dec.end() ?? '',
  };
}
