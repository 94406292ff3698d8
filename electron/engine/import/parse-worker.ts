// Worker-thread entry: parses one file, packs its rows for the insert statement (hashing and
// UTF-8 encoding happen here, on the second core) and streams them to the importing thread,
// which inserts them meanwhile. A shared credit counter keeps at most a few batches in flight, so a
// fast parser never piles a whole file up in memory while SQLite catches up.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { toStoreBatch } from '../store/imports';
import { parseFile } from './parse';
import type { WorkerInput, WorkerMessage } from './parse-worker-protocol';
import { FileReadError } from './readers/types';

const { path, fileName, options, credits } = workerData as WorkerInput;
const credit = new Int32Array(credits);
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

try {
  const parsed = parseFile(readFileSync(path), fileName, options);
  post({ type: 'layout', layout: parsed.layout });
  for (const parsedBatch of parsed.batches()) {
    const batch = toStoreBatch(parsedBatch);
    const { packed } = batch;
    while (Atomics.load(credit, 0) <= 0) Atomics.wait(credit, 0, 0);
    Atomics.sub(credit, 0, 1);
    // The typed arrays move to the inserting thread without a copy.
    parentPort!.postMessage({ type: 'batch', batch } satisfies WorkerMessage, [
      packed.numbers.buffer as ArrayBuffer,
      packed.ends.buffer as ArrayBuffer,
    ]);
  }
  post({ type: 'end' });
} catch (err) {
  if (err instanceof FileReadError)
    post({ type: 'error', error: { code: err.code, zh: err.zh, en: err.en } });
  else post({ type: 'crash', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
