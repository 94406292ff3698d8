import { close, fdatasync, open } from 'node:fs';

// A large import writes hundreds of megabytes into the database file within one transaction. The
// kernel starts writing dirty pages back only past a share of the machine's memory (a tenth by
// default, more than the benchmark's 544 MB database on most PCs), so the commit's fsync found all
// of them still to write and the importing thread waited for the disk. Asking for them to be
// written while the import goes on, on libuv's threads, overlaps the disk's work with the parsing
// and inserting. The transaction's safety does not depend on it: SQLite syncs its journal before
// it writes any page of the database file, and syncs the file itself at the commit.

/** How often the written pages are flushed. */
const EVERY_MS = 250;

/** Flushes the file at `path` to disk every EVERY_MS until the function returned is called; on a
 *  best-effort basis (a file that cannot be opened or flushed is left to the commit). */
export function flushBehind(path: string): () => void {
  let fd: number | null = null;
  let flushing = false;
  let stopped = false;
  const release = () => {
    if (fd !== null && !flushing) close(fd, () => undefined);
  };
  open(path, 'r+', (err, opened) => {
    if (err) return;
    fd = opened;
    if (stopped) release();
  });
  const timer = setInterval(() => {
    if (fd === null || flushing) return;
    flushing = true;
    fdatasync(fd, () => {
      flushing = false;
      if (stopped) release();
    });
  }, EVERY_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    release();
  };
}
