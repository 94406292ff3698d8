import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { StoreBatch } from '../store/imports';
import type { FileLayout, ParseOptions } from './parse';
import type { WorkerInput, WorkerMessage } from './parse-worker-protocol';
import { FileReadError } from './readers/types';

/** Batches allowed in flight between the parsing worker and the inserting thread. */
const IN_FLIGHT = 4;
/** A worker that sends nothing for this long is stuck (a file built to make a parser spin). */
const STALL_MS = 30_000;

/** The bundled worker script, present in the built command line and app (not when the engine
 *  runs from TypeScript sources, e.g. under the unit tests, where parsing runs inline). */
function workerScript(): string | null {
  const file = join(__dirname, 'parse-worker.js');
  return existsSync(file) ? file : null;
}

/**
 * Starts parsing in a worker. Resolves once the file's layout is known (or rejects with the
 * FileReadError explaining why it is unreadable); the batches then arrive as an async iterable.
 */
export async function parseInWorker(
  path: string,
  fileName: string,
  options: ParseOptions,
): Promise<{ layout: FileLayout; batches: AsyncIterable<StoreBatch> } | null> {
  const script = workerScript();
  if (!script) return null;
  const credits = new SharedArrayBuffer(4);
  const credit = new Int32Array(credits);
  Atomics.store(credit, 0, IN_FLIGHT);
  const input: WorkerInput = { path, fileName, options, credits };
  // Parsing allocates many short-lived strings: a larger young generation spares most of the
  // scavenges that would otherwise take a fifth of the worker's time.
  const worker = new Worker(script, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: 64 } });

  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !failure) failure = new Error(`parse worker exited with code ${code}`);
    wake?.();
  });

  const next = async (): Promise<WorkerMessage> => {
    for (;;) {
      const m = queue.shift();
      if (m) return m;
      if (failure) throw failure;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(() => {
          failure = new FileReadError(
            'parse_timeout',
            `${fileName}：解析超过 ${STALL_MS / 1000} 秒没有进展，已中止（文件可能被构造成让解析器卡死）。`,
            `${fileName}: parsing made no progress for ${STALL_MS / 1000} s and was stopped (the file may be built to hang a parser).`,
          );
          void worker.terminate();
          resolve();
        }, STALL_MS);
      });
      clearTimeout(timer);
      wake = null;
    }
  };

  const first = await next().catch(async (err) => {
    await worker.terminate();
    throw err;
  });
  if (first.type === 'error') {
    await worker.terminate();
    throw new FileReadError(first.error.code, first.error.zh, first.error.en);
  }
  if (first.type !== 'layout') {
    await worker.terminate();
    throw new Error(first.type === 'crash' ? first.message : `unexpected worker message ${first.type}`);
  }

  async function* batches(): AsyncGenerator<StoreBatch> {
    try {
      for (;;) {
        const m = await next();
        if (m.type === 'batch') {
          Atomics.add(credit, 0, 1);
          Atomics.notify(credit, 0);
          yield m.batch;
        } else if (m.type === 'end') return;
        else if (m.type === 'error') throw new FileReadError(m.error.code, m.error.zh, m.error.en);
        else if (m.type === 'crash') throw new Error(m.message);
      }
    } finally {
      await worker.terminate();
    }
  }
  return { layout: first.layout, batches: batches() };
}
