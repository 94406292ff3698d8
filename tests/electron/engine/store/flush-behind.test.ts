import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flushBehind } from '../../../../electron/engine/store/flush-behind';
import { tmpDirPerTest } from '../../../helpers/tmp';

const tmp = tmpDirPerTest();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The files this process has open that are at `path`. */
function openAt(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

describe.runIf(process.platform === 'linux')('flushBehind', () => {
  it('keeps a file open while it flushes it, leaves it as written, and lets it go when stopped', async () => {
    const path = join(tmp(), 'db.sqlite');
    const bytes = Buffer.alloc(8 << 20, 7);
    writeFileSync(path, bytes);
    const stop = flushBehind(path);
    await sleep(600);
    expect(openAt(path)).toBe(1);
    stop();
    await sleep(100);
    expect(openAt(path)).toBe(0);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('lets the file go when stopped before it was opened', async () => {
    const path = join(tmp(), 'db.sqlite');
    writeFileSync(path, 'x');
    flushBehind(path)();
    await sleep(300);
    expect(openAt(path)).toBe(0);
  });

  it('does nothing for a file it cannot open, and no error escapes', async () => {
    const path = join(tmp(), 'missing', 'db.sqlite');
    const stop = flushBehind(path);
    await sleep(300);
    expect(openAt(path)).toBe(0);
    expect(stop).not.toThrow();
  });
});
