import { closeSync, constants, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directWrite, sharedBytesForDirectWrite } from '../../../../electron/engine/store/direct-io';
import { keepOriginalSoon } from '../../../../electron/engine/store/file-store';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();

/** A file whose length is no whole number of blocks, so that the cut after the direct write shows. */
function oddFile(dir: string): { path: string; bytes: Buffer } {
  const bytes = Buffer.alloc(3 * 4096 + 1234);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) & 0xff;
  const path = join(dir, 'export.csv');
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** The file read into a view made for a direct write, as readForImport reads it. */
function readAligned(path: string, size: number): Uint8Array {
  const view = sharedBytesForDirectWrite(size, path);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, view, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  return view;
}

/** Whether this file system takes O_DIRECT reads at all (tmpfs, say, does not). */
function directReadable(path: string): boolean {
  if (constants.O_DIRECT === undefined) return false;
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_DIRECT));
    return true;
  } catch {
    return false;
  }
}

describe('direct writes of a kept original', () => {
  it('gives a view of exactly the size asked, whatever the alignment found', () => {
    const { path, bytes } = oddFile(tmp());
    const view = readAligned(path, bytes.length);
    expect(view.byteLength).toBe(bytes.length);
    expect(Buffer.from(view).equals(bytes)).toBe(true);
  });

  it('writes the bytes straight to disk where the file system allows it, cut to their length', async () => {
    const dir = tmp();
    const { path, bytes } = oddFile(dir);
    const view = readAligned(path, bytes.length);
    const out = join(dir, 'kept');
    const direct = await directWrite(out, view);
    if (directReadable(path)) expect(direct).toBe(true);
    if (direct) expect(readFileSync(out).equals(bytes)).toBe(true);
  });

  it('refuses memory that was not aligned for it, so that the caller writes as usual', async () => {
    const dir = tmp();
    const out = join(dir, 'kept');
    expect(await directWrite(out, new Uint8Array(5000))).toBe(false);
  });

  it('keeps the original byte for byte either way', async () => {
    const dir = tmp();
    const { path, bytes } = oddFile(dir);
    const store = join(dir, 'files');
    // An aligned view (written directly where it can be) and a plain one (written as usual), each
    // under a name of its own.
    const views = [readAligned(path, bytes.length), new Uint8Array(bytes)];
    for (const [k, view] of views.entries()) {
      const kept = keepOriginalSoon(store, String(k).repeat(64), view);
      await kept.written;
      expect(readFileSync(join(store, kept.name)).equals(bytes)).toBe(true);
    }
  });
});
