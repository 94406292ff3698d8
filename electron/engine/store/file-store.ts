import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Stores the original bytes under their hash (written to a temporary name, then renamed, so a
 *  crash never leaves a truncated original). Returns the stored file name. */
export function keepOriginal(dir: string, hash: string, bytes: Uint8Array): string {
  const name = join(hash.slice(0, 2), hash);
  const target = join(dir, name);
  if (!existsSync(target)) {
    mkdirSync(join(dir, hash.slice(0, 2)), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  }
  return name;
}

export function forgetOriginal(dir: string, storedName: string): void {
  rmSync(join(dir, storedName), { force: true });
}
