import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { StoreBatch } from '../store/imports';
import { NUMBERS, type PackedRows } from '../store/record-columns';
import { bundledWorker } from '../workers';
import { type FileLayout, PARTS_FROM_BYTES, type ParseOptions, textParts } from './parse';
import {
  IN_FLIGHT,
  SLOT_BYTES,
  SLOT_ROWS,
  SLOTS,
  type WorkerInput,
  type WorkerMessage,
  type WorkerSetup,
} from './parse-worker-protocol';
import { FileReadError, type TextRange } from './readers/types';

/** Parsing threads for a large text file: with the importing thread, one more than the two cores
 *  of a typical office PC, so that neither core waits while a part changes hands. */
const WORKERS = 2;
/** A worker that sends nothing for this long is stuck (a file built to make a parser spin). */
const STALL_MS = 30_000;

/** A file read for import, and the parsing workers started for it. */
export interface FileForImport {
  bytes: Uint8Array;
  workers: WorkerStream[];
}

/**
 * Reads a file for import: into memory the parsing workers share when they are available. The
 * workers are started first, so that they load while the file is read (a tenth of a second each, timed by hand);
 * a file large enough to be read in parts gets WORKERS of them.
 */
export function readForImport(path: string): FileForImport {
  const script = bundledWorker('parse-worker');
  if (!script) return { bytes: readFileSync(path), workers: [] };
  const fd = openSync(path, 'r');
  let workers: WorkerStream[] = [];
  try {
    const size = fstatSync(fd).size;
    workers = Array.from(
      { length: size >= PARTS_FROM_BYTES ? WORKERS : 1 },
      () => new WorkerStream(script, basename(path)),
    );
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    // A file that shrank while it was read: the workers read the whole shared buffer, so it must
    // hold exactly the bytes that were read (and hashed).
    if (at === size) return { bytes, workers };
    const exact = new Uint8Array(new SharedArrayBuffer(at));
    exact.set(bytes.subarray(0, at));
    return { bytes: exact, workers };
  } catch (err) {
    for (const w of workers) void w.terminate();
    throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts parsing a file (as read by readForImport) in its workers: a large text file in parts
 * shared out among them, anything else whole in one. Resolves once the file's layout is known (or
 * rejects with the FileReadError explaining why it is unreadable); the batches then arrive as an
 * async iterable, in file order. Null when there are no workers.
 */
export async function parseInWorker(
  { bytes, workers }: FileForImport,
  fileName: string,
  options: ParseOptions,
): Promise<{
  layout: FileLayout;
  batches: AsyncIterable<StoreBatch>;
  stop(): Promise<unknown>;
  /** Settles once the workers have sent every batch (the last of them may not be taken yet). */
  sent: Promise<void>;
} | null> {
  if (workers.length === 0) return null;
  const shared = bytes.buffer as SharedArrayBuffer;
  let ranges: Array<TextRange | null>;
  try {
    ranges = textParts(bytes, fileName, options.encoding) ?? [null];
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  const parts = ranges.map((range, index) => ({ index, range }));
  const count = Math.min(workers.length, parts.length);
  const streams = workers.slice(0, count);
  for (const idle of workers.slice(count)) void idle.terminate();
  streams.forEach((s, w) => {
    s.start({ bytes: shared, fileName, options, parts: parts.filter((p) => p.index % count === w) });
  });
  const stopAll = () => Promise.all(streams.map((s) => s.terminate()));

  const first = await streams[0]!.next().catch(async (err) => {
    await stopAll();
    throw err;
  });
  if (first.type !== 'layout') {
    await stopAll();
    throw failure(first);
  }

  async function* batches(): AsyncGenerator<StoreBatch> {
    try {
      for (const { index } of parts) {
        const stream = streams[index % count]!;
        for (;;) {
          const m = await stream.next();
          if (m.type === 'batch') {
            stream.release();
            const { packed } = m.batch;
            // A Buffer arrives as a plain Uint8Array: make it one again.
            if (m.slot === null)
              packed.bytes = Buffer.from(
                packed.bytes.buffer,
                packed.bytes.byteOffset,
                packed.bytes.byteLength,
              );
            else stream.fromSlot(packed, m.slot, m.length);
            yield m.batch;
          } else if (m.type === 'part') {
            if (m.index !== index) throw new Error(`parse worker sent part ${m.index}, expected ${index}`);
            break;
          } else if (m.type !== 'layout') throw failure(m);
        }
      }
    } finally {
      await stopAll();
    }
  }
  const sent = Promise.all(streams.map((s) => s.sent)).then(() => undefined);
  return { layout: first.layout, batches: batches(), stop: stopAll, sent };
}

function failure(m: WorkerMessage): Error {
  if (m.type === 'error') return new FileReadError(m.error.code, m.error.zh, m.error.en);
  return new Error(m.type === 'crash' ? m.message : `unexpected parse worker message ${m.type}`);
}

/** One parsing worker's messages, in order, with its credit counter. */
export class WorkerStream {
  private readonly worker: Worker;
  private readonly credit: Int32Array;
  private readonly slots: SharedArrayBuffer;
  private readonly slotNumbers: SharedArrayBuffer;
  private readonly slotEnds: SharedArrayBuffer;
  private readonly queue: WorkerMessage[] = [];
  private wake: (() => void) | null = null;
  private failed: Error | null = null;
  /** Settles once the worker has sent the end of every part it was given. */
  readonly sent: Promise<void>;
  private sentAll!: () => void;
  private partsLeft = 0;

  constructor(
    script: string,
    private readonly fileName: string,
  ) {
    const credits = new SharedArrayBuffer(4);
    this.credit = new Int32Array(credits);
    Atomics.store(this.credit, 0, IN_FLIGHT);
    this.slots = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    this.slotNumbers = new SharedArrayBuffer(SLOTS * SLOT_ROWS * NUMBERS * 8);
    this.slotEnds = new SharedArrayBuffer(SLOTS * SLOT_ROWS * 2 * 4);
    // Parsing allocates many short-lived strings: a larger young generation spares most of the
    // scavenges that would otherwise take a fifth of the worker's time (CPU profile, by hand). 40 MB, not more: two
    // workers' young generations count against the import's memory budget.
    this.worker = new Worker(script, {
      workerData: {
        credits,
        slots: this.slots,
        slotNumbers: this.slotNumbers,
        slotEnds: this.slotEnds,
      } satisfies WorkerSetup,
      resourceLimits: { maxYoungGenerationSizeMb: 40 },
    });
    this.sent = new Promise((resolve) => {
      this.sentAll = resolve;
    });
    this.worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'part' && --this.partsLeft === 0) this.sentAll();
      this.queue.push(m);
      this.wake?.();
    });
    this.worker.on('error', (err) => {
      this.failed = err;
      this.wake?.();
    });
    this.worker.on('exit', (code) => {
      if (code !== 0 && !this.failed) this.failed = new Error(`parse worker exited with code ${code}`);
      this.wake?.();
    });
  }

  /** Tells the worker what to read. */
  start(input: WorkerInput): void {
    this.partsLeft = input.parts.length;
    this.worker.postMessage(input);
  }

  /** The worker's next message; rejects when it fails or makes no progress for STALL_MS. */
  async next(): Promise<WorkerMessage> {
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.failed) throw this.failed;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(() => {
          this.failed = new FileReadError(
            'parse_timeout',
            `${this.fileName}：解析超过 ${STALL_MS / 1000} 秒没有进展，已中止（文件可能被构造成让解析器卡死）。`,
            `${this.fileName}: parsing made no progress for ${STALL_MS / 1000} s and was stopped (the file may be built to hang a parser).`,
          );
          void this.worker.terminate();
          resolve();
        }, STALL_MS);
      });
      clearTimeout(timer);
      this.wake = null;
    }
  }

  /** Points a batch at the bytes, numbers and ends the worker wrote into a slot. */
  fromSlot(packed: PackedRows, index: number, length: number): void {
    packed.bytes = Buffer.from(this.slots, index * SLOT_BYTES, length);
    packed.numbers = new Float64Array(
      this.slotNumbers,
      index * SLOT_ROWS * NUMBERS * 8,
      packed.count * NUMBERS,
    );
    packed.ends = new Int32Array(this.slotEnds, index * SLOT_ROWS * 2 * 4, packed.count * 2);
  }

  /** Lets the worker send one more batch (the importing thread took one). */
  release(): void {
    Atomics.add(this.credit, 0, 1);
    Atomics.notify(this.credit, 0);
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
