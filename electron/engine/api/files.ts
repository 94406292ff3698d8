import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { PickedFile } from '../../../shared/api';

/**
 * Files the user chose (in an open dialog, by dropping them, or by uploading them to the loopback
 * server), known to the UI only by an opaque id. A request can name a file only by such an id, so
 * no page can make the engine read a path it typed.
 */
export class FileRegistry {
  private readonly files = new Map<string, { path: string; name: string }>();
  private uploads: string | null = null;

  /** A file the OS dialog or a drop handed over. */
  grant(path: string, name = basename(path)): PickedFile {
    const fileId = randomBytes(16).toString('hex');
    this.files.set(fileId, { path, name });
    return { fileId, name, size: statSync(path).size };
  }

  /** Bytes a browser uploaded: kept in a private temporary folder under their own name. */
  receive(name: string, bytes: Uint8Array): PickedFile {
    this.uploads ??= mkdtempSync(join(tmpdir(), 'posrecon-uploads-'));
    const dir = join(this.uploads, randomBytes(8).toString('hex'));
    mkdirSync(dir);
    // Only the last path segment of the name is used, and only as a file name.
    const safe = basename(name.replaceAll('\\', '/')).replace(/[<>:"|?*\u0000-\u001f]/g, '_') || 'upload';
    const path = join(dir, safe);
    writeFileSync(path, bytes);
    return this.grant(path, safe);
  }

  get(fileId: string): { path: string; name: string } | undefined {
    return this.files.get(fileId);
  }

  dispose(): void {
    if (this.uploads) rmSync(this.uploads, { recursive: true, force: true });
  }
}
