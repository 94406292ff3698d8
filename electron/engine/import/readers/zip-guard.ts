// Zip directory checks done before anything is inflated, and size-capped inflation of one entry.
// A zip's central directory can lie, so inflation also stops as soon as an entry grows past
// what it declared or past the limit.

import { Inflate } from 'fflate';
import { FileReadError, type ReadLimits } from './types';

/** More entries than this is not a spreadsheet. */
export const MAX_ZIP_ENTRIES = 10_000;
/** The compression-ratio check applies only to entries that expand beyond this. */
const RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024;

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

export interface ZipEntry {
  /** Entry name with '\' turned into '/'. */
  name: string;
  /** 0 = stored, 8 = deflate; anything else cannot be read here. */
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function corrupt(detailZh: string, detailEn: string): FileReadError {
  return new FileReadError(
    'zip_corrupt',
    `文件已损坏，压缩包目录无法读取（${detailZh}）。`,
    `The file is damaged: its zip directory cannot be read (${detailEn}).`,
  );
}

function u16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** A little-endian 64-bit size; anything at or above 2^53 is reported as Infinity (certainly too big). */
function u64(b: Uint8Array, o: number): number {
  const hi = u32(b, o + 4);
  if (hi >= 0x200000) return Number.POSITIVE_INFINITY;
  return hi * 0x1_0000_0000 + u32(b, o);
}

function findEocd(buf: Uint8Array): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let o = buf.length - 22; o >= min; o--) {
    if (buf[o] === 0x50 && buf[o + 1] === 0x4b && u32(buf, o) === SIG_EOCD) {
      // The comment length must reach exactly to the end (or at least fit) for this to be the record.
      if (o + 22 + u16(buf, o + 20) <= buf.length) return o;
    }
  }
  return -1;
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/**
 * Reads and checks the central directory without inflating anything. Throws FileReadError
 * 'zip_corrupt' for an unreadable directory and 'zip_bomb' when the declared sizes exceed the limits.
 */
export function readZipDirectory(buf: Uint8Array, limits: ReadLimits): ZipEntry[] {
  if (buf.length < 22) throw corrupt('文件太短', 'file too short');
  const eocd = findEocd(buf);
  if (eocd < 0) throw corrupt('找不到目录结尾记录', 'no end of central directory record');
  let count = u16(buf, eocd + 10);
  let cdSize = u32(buf, eocd + 12);
  let cdOffset = u32(buf, eocd + 16);
  const disk = u16(buf, eocd + 4);
  const cdDisk = u16(buf, eocd + 6);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc >= 0 && u32(buf, loc) === SIG_ZIP64_LOCATOR) {
      const rec = u64(buf, loc + 8);
      if (!(rec + 56 <= loc) || u32(buf, rec) !== SIG_ZIP64_EOCD)
        throw corrupt('ZIP64 目录结尾记录无效', 'bad ZIP64 end of central directory record');
      if (u32(buf, rec + 16) !== 0 || u32(buf, rec + 20) !== 0)
        throw corrupt('不支持分卷压缩包', 'multi-volume archives are not supported');
      count = u64(buf, rec + 32);
      cdSize = u64(buf, rec + 40);
      cdOffset = u64(buf, rec + 48);
    }
  } else if (disk !== 0 || cdDisk !== 0) {
    throw corrupt('不支持分卷压缩包', 'multi-volume archives are not supported');
  }
  if (count > MAX_ZIP_ENTRIES) {
    throw new FileReadError(
      'zip_bomb',
      `压缩包包含 ${count} 个文件，超过 ${MAX_ZIP_ENTRIES} 个的上限，可能是恶意文件。`,
      `The archive holds ${count} entries, more than the limit of ${MAX_ZIP_ENTRIES}; it may be hostile.`,
    );
  }
  if (!(cdOffset + cdSize <= buf.length)) throw corrupt('目录超出文件范围', 'directory runs past the end');

  const entries: ZipEntry[] = [];
  let total = 0;
  let o = cdOffset;
  const end = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (o + 46 > end || u32(buf, o) !== SIG_CENTRAL)
      throw corrupt(`第 ${i + 1} 个目录项无效`, `central directory entry ${i + 1} is invalid`);
    const flags = u16(buf, o + 8);
    const method = u16(buf, o + 10);
    let compressedSize = u32(buf, o + 20);
    let uncompressedSize = u32(buf, o + 24);
    const nameLen = u16(buf, o + 28);
    const extraLen = u16(buf, o + 30);
    const commentLen = u16(buf, o + 32);
    let localHeaderOffset = u32(buf, o + 42);
    const nameStart = o + 46;
    const extraStart = nameStart + nameLen;
    const next = extraStart + extraLen + commentLen;
    if (next > end) throw corrupt(`第 ${i + 1} 个目录项越界`, `central directory entry ${i + 1} overruns`);
    const nameBytes = buf.subarray(nameStart, extraStart);
    const name = ((flags & 0x800) !== 0 ? utf8 : latin1).decode(nameBytes).replace(/\\/g, '/');

    // ZIP64 extended information: present fields replace the 0xFFFFFFFF placeholders, in order.
    if (
      compressedSize === 0xffffffff ||
      uncompressedSize === 0xffffffff ||
      localHeaderOffset === 0xffffffff
    ) {
      let x = extraStart;
      const xEnd = extraStart + extraLen;
      let found = false;
      while (x + 4 <= xEnd) {
        const id = u16(buf, x);
        const size = u16(buf, x + 2);
        const data = x + 4;
        if (data + size > xEnd) break;
        if (id === 0x0001) {
          let f = data;
          const fEnd = data + size;
          if (uncompressedSize === 0xffffffff) {
            if (f + 8 > fEnd) throw corrupt('ZIP64 扩展字段过短', 'ZIP64 extra field too short');
            uncompressedSize = u64(buf, f);
            f += 8;
          }
          if (compressedSize === 0xffffffff) {
            if (f + 8 > fEnd) throw corrupt('ZIP64 扩展字段过短', 'ZIP64 extra field too short');
            compressedSize = u64(buf, f);
            f += 8;
          }
          if (localHeaderOffset === 0xffffffff) {
            if (f + 8 > fEnd) throw corrupt('ZIP64 扩展字段过短', 'ZIP64 extra field too short');
            localHeaderOffset = u64(buf, f);
          }
          found = true;
          break;
        }
        x = data + size;
      }
      if (!found) throw corrupt('缺少 ZIP64 扩展字段', 'missing ZIP64 extra field');
    }

    if (!(localHeaderOffset + 30 <= buf.length) || !(compressedSize <= buf.length))
      throw corrupt(`“${name}”的位置或大小无效`, `entry "${name}" has an impossible offset or size`);

    total += uncompressedSize;
    if (total > limits.maxUnzippedBytes) {
      throw new FileReadError(
        'zip_bomb',
        `压缩包解压后超过 ${mb(limits.maxUnzippedBytes)} 的上限，可能是恶意文件（压缩炸弹）。`,
        `The archive would expand to more than the limit of ${mb(limits.maxUnzippedBytes)}; it may be a zip bomb.`,
      );
    }
    if (
      uncompressedSize > RATIO_CHECK_MIN_BYTES &&
      (compressedSize === 0 || uncompressedSize / compressedSize > limits.maxCompressionRatio)
    ) {
      const ratio = compressedSize === 0 ? '∞' : Math.round(uncompressedSize / compressedSize).toString();
      throw new FileReadError(
        'zip_bomb',
        `压缩包中的“${name}”压缩比为 ${ratio}:1，超过 ${limits.maxCompressionRatio}:1 的上限，可能是恶意文件（压缩炸弹）。`,
        `Entry "${name}" has a compression ratio of ${ratio}:1, above the limit of ${limits.maxCompressionRatio}:1; it may be a zip bomb.`,
      );
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    o = next;
  }
  return entries;
}

/** Checks a zip's central directory against the limits; throws FileReadError, inflates nothing. */
export function checkZip(buf: Uint8Array, limits: ReadLimits): void {
  readZipDirectory(buf, limits);
}

function dataRange(buf: Uint8Array, entry: ZipEntry): [number, number] {
  const o = entry.localHeaderOffset;
  if (o + 30 > buf.length || u32(buf, o) !== SIG_LOCAL)
    throw corrupt(`“${entry.name}”的本地文件头无效`, `bad local header for "${entry.name}"`);
  const start = o + 30 + u16(buf, o + 26) + u16(buf, o + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw corrupt(`“${entry.name}”的数据被截断`, `data of "${entry.name}" is truncated`);
  return [start, end];
}

function overflow(entry: ZipEntry, cap: number, limits: ReadLimits): FileReadError {
  if (cap < limits.maxUnzippedBytes) {
    return new FileReadError(
      'zip_bomb',
      `压缩包中的“${entry.name}”解压后超过其声明的 ${entry.uncompressedSize} 字节，文件可能被篡改或是恶意文件。`,
      `Entry "${entry.name}" expands past its declared ${entry.uncompressedSize} bytes; the file may be tampered with or hostile.`,
    );
  }
  return new FileReadError(
    'zip_bomb',
    `压缩包中的“${entry.name}”解压后超过 ${mb(limits.maxUnzippedBytes)} 的上限，可能是恶意文件（压缩炸弹）。`,
    `Entry "${entry.name}" expands past the limit of ${mb(limits.maxUnzippedBytes)}; it may be a zip bomb.`,
  );
}

/** Compressed bytes handed to the inflater at a time; deflate expands at most ~1032x, so one step
 *  produces at most ~17 MB before the size check sees it. */
const INFLATE_STEP = 16 * 1024;
const STORED_STEP = 1024 * 1024;

/**
 * Inflates one entry in steps, yielding decompressed chunks (valid until the next step). Stops with
 * FileReadError 'zip_bomb' as soon as the output passes the entry's declared size or the limit.
 */
export function* inflateEntry(buf: Uint8Array, entry: ZipEntry, limits: ReadLimits): Generator<Uint8Array> {
  const [start, end] = dataRange(buf, entry);
  const cap = Math.min(entry.uncompressedSize, limits.maxUnzippedBytes);
  if ((entry.flags & 1) !== 0) {
    throw new FileReadError(
      'zip_encrypted',
      `压缩包中的“${entry.name}”已加密，无法读取。`,
      `Entry "${entry.name}" is encrypted and cannot be read.`,
    );
  }
  if (entry.method === 0) {
    if (end - start > cap) throw overflow(entry, cap, limits);
    for (let p = start; p < end; p += STORED_STEP) yield buf.subarray(p, Math.min(end, p + STORED_STEP));
    return;
  }
  if (entry.method !== 8) {
    throw new FileReadError(
      'zip_unsupported',
      `压缩包中的“${entry.name}”使用了不支持的压缩方式（${entry.method}）。`,
      `Entry "${entry.name}" uses an unsupported compression method (${entry.method}).`,
    );
  }
  if (end === start) return;
  let produced = 0;
  const ready: Uint8Array[] = [];
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > cap) throw overflow(entry, cap, limits);
    if (chunk.length > 0) ready.push(chunk);
  });
  for (let p = start; p < end; p += INFLATE_STEP) {
    const stop = Math.min(end, p + INFLATE_STEP);
    try {
      inflater.push(buf.subarray(p, stop), stop === end);
    } catch (e) {
      if (e instanceof FileReadError) throw e;
      throw corrupt(
        `“${entry.name}”解压失败：${(e as Error).message}`,
        `"${entry.name}" cannot be inflated: ${(e as Error).message}`,
      );
    }
    while (ready.length > 0) yield ready.shift()!;
  }
}
