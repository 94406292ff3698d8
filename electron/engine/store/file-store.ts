import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { directWrite } from './direct-io';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Stores the original bytes under their hash (written to a temporary name, then renamed, so a
 *  crash never leaves a truncated original). Returns the stored file name. */
export function keepOriginal(dir: string, hash: string, bytes: Uint8Array): string {
  const { name, target, tmp } = placeFor(dir, hash);
  if (!existsSync(target)) {
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  }
  return name;
}

/** keepOriginal on another thread, for a large file while its rows are being stored (straight to
 *  disk when it was read for that, direct-io.ts): the stored name at once, and the promise of the
 *  write. */
export function keepOriginalSoon(
  dir: string,
  hash: string,
  bytes: Uint8Array,
): { name: string; written: Promise<void> } {
  const { name, target, tmp } = placeFor(dir, hash);
  const written = existsSync(target)
    ? Promise.resolve()
    : directWrite(tmp, bytes)
        .then((direct) => (direct ? undefined : writeFile(tmp, bytes)))
        .then(() => rename(tmp, target))
        .catch((err: unknown) => {
          rmSync(tmp, { force: true });
          throw err;
        });
  return { name, written };
}

function placeFor(dir: string, hash: string): { name: string; target: string; tmp: string } {
  const name = join(hash.slice(0, 2), hash);
  const target = join(dir, name);
  mkdirSync(join(dir, hash.slice(0, 2)), { recursive: true });
  return { name, target, tmp: `${target}.${process.pid}.tmp` };
}

export function forgetOriginal(dir: string, storedName: string): void {
  rmSync(join(dir, storedName), { force: true });
}
