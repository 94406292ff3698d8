import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { sharedBytesForDirectWrite } from '../store/direct-io';
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

/** A file read for import, and the parsing workers it was given. */
export interface FileForImport {
  bytes: Uint8Array;
  workers: ParseWorker[];
}

/**
 * The parsing threads of one import run, of one file or several in turn. A file takes the idle
 * ones before new ones are started: the next file of a run is then parsed by threads whose code
 * V8 has already compiled, where new threads would each compile the parser again, on the cores
 * the import is using (importing both bench files, alternating with the build before, 7 pairs by
 * hand: a mean of 6.42 s against 6.72 s). end() stops them all: an idle thread would keep the
 * process alive.
 */
export class ParseWorkers {
  private readonly all = new Set<ParseWorker>();

  constructor(private readonly script = bundledWorker('parse-worker')) {}

  /** `count` threads for one file, idle ones first (none when parsing runs inline). */
  take(count: number): ParseWorker[] {
    if (!this.script) return [];
    const taken = [...this.all].filter((w) => w.idle).slice(0, count);
    while (taken.length < count) {
      const worker = new ParseWorker(this.script);
      this.all.add(worker);
      taken.push(worker);
    }
    for (const w of taken) w.reserve();
    return taken;
  }

  /** Stops threads that are no longer wanted where they are (a file given up mid-parse). */
  async stop(workers: readonly ParseWorker[]): Promise<void> {
    for (const w of workers) this.all.delete(w);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  async end(): Promise<void> {
    await this.stop([...this.all]);
  }
}

/**
 * Reads a file for import: into memory the parsing workers share when they are available. New
 * workers are started first, so that they load while the file is read (a tenth of a second each,
 * timed by hand); a file large enough to be read in parts gets WORKERS of them.
 */
export function readForImport(path: string, pool: ParseWorkers): FileForImport {
  const fd = openSync(path, 'r');
  let workers: ParseWorker[] = [];
  try {
    const size = fstatSync(fd).size;
    workers = pool.take(workersFor(size));
    if (workers.length === 0) return { bytes: readFileSync(fd), workers };
    // Aligned so that the kept original can be written from it straight to disk (direct-io.ts).
    const bytes = sharedBytesForDirectWrite(size, path);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return { bytes: asRead(bytes, at), workers };
  } catch (err) {
    for (const w of workers) w.release();
    throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the next file of a run on libuv's threads while the files before it are read and parsed,
 * into memory the parsing workers share (as readForImport). At a run's start the second core is
 * otherwise idle while the first file is read; and when a file's parse ends, its workers otherwise
 * waited for the next file to be read (0.29 s for the benchmark's settlement file, traced by hand).
 */
export async function readAhead(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const bytes = sharedBytesForDirectWrite(size, path);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return asRead(bytes, at);
  } finally {
    await file.close();
  }
}

/** A file read ahead (readAhead), with its parsing workers. */
export function withWorkers(bytes: Uint8Array, pool: ParseWorkers): FileForImport {
  return { bytes, workers: pool.take(workersFor(bytes.byteLength)) };
}

function workersFor(size: number): number {
  return size >= PARTS_FROM_BYTES ? WORKERS : 1;
}

/** The `read` bytes read into `bytes`. A file that shrank while it was read: the view the workers
 *  read must hold exactly the bytes that were read (and hashed). */
function asRead(bytes: Uint8Array, read: number): Uint8Array {
  if (read === bytes.byteLength) return bytes;
  const exact = new Uint8Array(new SharedArrayBuffer(read));
  exact.set(bytes.subarray(0, read));
  return exact;
}

/**
 * Starts parsing a file (as read by readForImport or readAhead) in its workers: a large text file in parts
 * shared out among them, anything else whole in one. Resolves once the file's layout is known (or
 * rejects with the FileReadError explaining why it is unreadable); the batches then arrive as an
 * async iterable, in file order. Null when there are no workers.
 */
export async function parseInWorker(
  { bytes, workers }: FileForImport,
  fileName: string,
  options: ParseOptions,
  pool: ParseWorkers,
): Promise<{
  layout: FileLayout;
  batches: AsyncIterable<StoreBatch>;
  /** Stops the workers still reading this file (none once it has been read to its end). */
  stop(): Promise<unknown>;
  /** Settles once the workers have sent every batch (the last of them may not be taken yet). */
  sent: Promise<void>;
} | null> {
  if (workers.length === 0) return null;
  let ranges: Array<TextRange | null> = [null];
  let read = options;
  try {
    const split = textParts(bytes, fileName, options.encoding);
    if (split) {
      ranges = split.ranges;
      // The encoding as found here, so that no worker guesses it again: for a file that is not
      // UTF-8 that is chardet, whose first call took about 90 ms (by hand).
      read = { ...options, encoding: split.encoding };
    }
  } catch (err) {
    for (const w of workers) w.release();
    throw err;
  }
  const parts = ranges.map((range, index) => ({ index, range }));
  const count = Math.min(workers.length, parts.length);
  for (const idle of workers.slice(count)) idle.release();
  const jobs = workers
    .slice(0, count)
    .map((w, k) =>
      w.start({ bytes, fileName, options: read, parts: parts.filter((p) => p.index % count === k) }),
    );
  const stop = () => pool.stop(jobs.filter((j) => !j.finished).map((j) => j.worker));

  const first = await jobs[0]!.next().catch(async (err) => {
    await stop();
    throw err;
  });
  if (first.type !== 'layout') {
    await stop();
    throw failure(first);
  }

  async function* batches(): AsyncGenerator<StoreBatch> {
    let taken = false;
    try {
      for (const { index } of parts) {
        const job = jobs[index % count]!;
        for (;;) {
          const m = await job.next();
          if (m.type === 'batch') {
            job.worker.giveCredit();
            const { packed } = m.batch;
            // A Buffer arrives as a plain Uint8Array: make it one again.
            if (m.slot === null)
              packed.bytes = Buffer.from(
                packed.bytes.buffer,
                packed.bytes.byteOffset,
                packed.bytes.byteLength,
              );
            else job.worker.fromSlot(packed, m.slot, m.length);
            yield m.batch;
          } else if (m.type === 'part') {
            if (m.index !== index) throw new Error(`parse worker sent part ${m.index}, expected ${index}`);
            break;
          } else if (m.type !== 'layout') throw failure(m);
        }
      }
      taken = true;
    } finally {
      // Batches left in a worker's slots hold its credits: a worker is given another file only
      // after every batch of this one was taken (the run ends when a file's store stops short).
      await (taken ? stop() : pool.stop(jobs.map((j) => j.worker)));
    }
  }
  const sent = Promise.all(jobs.map((j) => j.sent)).then(() => undefined);
  return { layout: first.layout, batches: batches(), stop, sent };
}

function failure(m: WorkerMessage): Error {
  if (m.type === 'error') return new FileReadError(m.error.code, m.error.zh, m.error.en);
  return new Error(m.type === 'crash' ? m.message : `unexpected parse worker message ${m.type}`);
}

/** One parsing thread, its credit counter and the slots its batches arrive in. */
export class ParseWorker {
  private readonly worker: Worker;
  private readonly credit: Int32Array;
  private readonly slots: SharedArrayBuffer;
  private readonly slotNumbers: SharedArrayBuffer;
  private readonly slotEnds: SharedArrayBuffer;
  /** The file it reads or was taken for; null: idle. */
  private job: ParseJob | null = null;
  private reserved = false;
  private failure: Error | null = null;

  constructor(script: string) {
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
    // A job's messages all arrive before the next job is given (see idle), so each belongs to the
    // job given last.
    this.worker.on('message', (m: WorkerMessage) => this.job?.receive(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`parse worker exited with code ${code}`)));
  }

  /** Free for another file: not taken, and whatever it was given has been read to its end. */
  get idle(): boolean {
    return !this.reserved && (this.job === null || this.job.finished);
  }

  /** Taken for a file that is being read. */
  reserve(): void {
    this.reserved = true;
  }

  /** Given back untouched (the file it was taken for needed fewer threads, or was not read). */
  release(): void {
    this.reserved = false;
  }

  /** Tells the worker what to read; its messages come through the job returned. */
  start(input: WorkerInput): ParseJob {
    this.reserved = false;
    this.job = new ParseJob(this, input.fileName, input.parts.length);
    this.worker.postMessage(input);
    return this.job;
  }

  /** Lets the worker send one more batch (the importing thread took one). */
  giveCredit(): void {
    Atomics.add(this.credit, 0, 1);
    Atomics.notify(this.credit, 0);
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

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  /** What stopped the worker (the first cause), or null while it runs. */
  get failed(): Error | null {
    return this.failure;
  }

  /** Stops a worker that made no progress, naming why. */
  stall(err: Error): void {
    this.fail(err);
    void this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.job?.wakeUp();
  }
}

/** One file's messages from one worker, in order. */
export class ParseJob {
  private readonly queue: WorkerMessage[] = [];
  private wake: (() => void) | null = null;
  private partsLeft: number;
  /** Whether the worker is done with this file: every part sent, or a failure reported. */
  finished = false;
  /** Settles once the worker has sent the end of every part it was given. */
  readonly sent: Promise<void>;
  private sentAll!: () => void;

  constructor(
    readonly worker: ParseWorker,
    private readonly fileName: string,
    parts: number,
  ) {
    this.partsLeft = parts;
    this.sent = new Promise((resolve) => {
      this.sentAll = resolve;
    });
  }

  receive(m: WorkerMessage): void {
    if (m.type === 'part' && --this.partsLeft === 0) {
      this.finished = true;
      this.sentAll();
    }
    if (m.type === 'error' || m.type === 'crash') this.finished = true;
    this.queue.push(m);
    this.wakeUp();
  }

  wakeUp(): void {
    this.wake?.();
  }

  /** The worker's next message; rejects when it fails or makes no progress for STALL_MS. */
  async next(): Promise<WorkerMessage> {
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.worker.failed) throw this.worker.failed;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(() => {
          this.worker.stall(
            new FileReadError(
              'parse_timeout',
              `${this.fileName}：解析超过 ${STALL_MS / 1000} 秒没有进展，已中止（文件可能被构造成让解析器卡死）。`,
              `${this.fileName}: parsing made no progress for ${STALL_MS / 1000} s and was stopped (the file may be built to hang a parser).`,
            ),
          );
          resolve();
        }, STALL_MS);
      });
      clearTimeout(timer);
      this.wake = null;
    }
  }
}
