import { closeSync, constants, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

// A large imported file is kept as it was read (file-store.ts). Written through the page cache, its
// bytes were copied into pages the kernel had to find first, and on this machine that cost 0.08 to
// 0.91 s of kernel time for the benchmark's two files (by hand, six runs); written with O_DIRECT
// straight from the memory they were read into, about 0.01 s. O_DIRECT wants that memory aligned to the disk's blocks, which JavaScript
// cannot ask for: the file is read into a shared buffer at an offset a probe found aligned, with
// room after it up to a whole block. Where any of this is not to be had (O_DIRECT unknown to the
// system, a file system without it, a larger block than the probe saw), the bytes are written as
// before.

/** The block the direct write rounds its length up to (the largest logical block in common use). */
const BLOCK = 4096;
/** Alignments a probe tries: a heap allocation's start is aligned to 16 bytes at least. */
const STEP = 16;

/** Views that directWrite may write with O_DIRECT: aligned, with room up to a whole block. */
const aligned = new WeakSet<Uint8Array>();

/**
 * A view of `size` bytes over new shared memory, aligned for O_DIRECT on the file system of the
 * file at `probePath` when a probe (a direct read of its first block) succeeds there; else at the
 * memory's start.
 */
export function sharedBytesForDirectWrite(size: number, probePath: string): Uint8Array {
  const memory = new SharedArrayBuffer(Math.ceil(size / BLOCK) * BLOCK + BLOCK);
  const offset = alignedOffset(memory, probePath);
  if (offset === null) return new Uint8Array(memory, 0, size);
  const view = new Uint8Array(memory, offset, size);
  aligned.add(view);
  return view;
}

/** The first offset into `memory` from which a direct read of the file succeeds, or null. */
function alignedOffset(memory: SharedArrayBuffer, path: string): number | null {
  const flag = constants.O_DIRECT;
  if (flag === undefined) return null;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | flag);
  } catch {
    return null;
  }
  try {
    const into = new Uint8Array(memory);
    for (let offset = 0; offset < BLOCK; offset += STEP) {
      try {
        readSync(fd, into, offset, BLOCK, 0);
        return offset;
      } catch (err) {
        if ((err as { code?: string }).code !== 'EINVAL') return null;
      }
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `bytes` (a view from sharedBytesForDirectWrite) to a new file at `path` with O_DIRECT:
 * whole blocks, then cut to their length. False when it cannot (the view was not aligned, or the
 * file system refused): the caller then writes them as usual, over whatever was started.
 */
export async function directWrite(path: string, bytes: Uint8Array): Promise<boolean> {
  if (!aligned.has(bytes)) return false;
  // Known to the system: the probe that aligned the view read with it.
  const flag = constants.O_DIRECT as number;
  const length = Math.ceil(bytes.byteLength / BLOCK) * BLOCK;
  const whole = new Uint8Array(bytes.buffer, bytes.byteOffset, length);
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | flag, 0o666);
  } catch {
    return false;
  }
  try {
    for (let at = 0; at < length; ) {
      const { bytesWritten } = await file.write(whole, at, length - at, at);
      at += bytesWritten;
    }
    await file.truncate(bytes.byteLength);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'EINVAL') return false;
    throw err;
  } finally {
    await file.close();
  }
}
