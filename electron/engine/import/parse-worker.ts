// Worker-thread entry: parses its parts of a file, packs their rows for the insert statement
// and streams them to the importing thread, which inserts them meanwhile. A shared credit counter
// keeps at most a few batches in flight, so a fast parser never piles a whole file up in memory
// while SQLite catches up.
import { parentPort, workerData } from 'node:worker_threads';
import { NUMBERS } from '../store/record-columns';
import { parseFile } from './parse';
import {
  SLOT_BYTES,
  SLOT_ROWS,
  SLOTS,
  type WorkerInput,
  type WorkerMessage,
  type WorkerSetup,
} from './parse-worker-protocol';
import { FileReadError } from './readers/types';

const { credits, slots, slotNumbers, slotEnds } = workerData as WorkerSetup;
const credit = new Int32Array(credits);
const slotBytes = new Uint8Array(slots);
const numberSlots = new Float64Array(slotNumbers);
const endSlots = new Int32Array(slotEnds);
let sent = 0;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

// The worker is started while the file is read; what to read arrives when it has been. It reads
// the files of an import run one after another: the next arrives once this one has been sent.
parentPort!.on('message', (input: WorkerInput) => read(input));

function read({ bytes, fileName, options, parts }: WorkerInput): void {
  try {
    const parsed = parseFile(bytes, fileName, options);
    post({ type: 'layout', layout: parsed.layout });
    for (const part of parts) {
      for (const batch of parsed.storeBatches(part.range ?? undefined)) {
        const { packed } = batch;
        while (Atomics.load(credit, 0) <= 0) Atomics.wait(credit, 0, 0);
        Atomics.sub(credit, 0, 1);
        const length = packed.bytes.byteLength;
        const slot = length <= SLOT_BYTES && packed.count <= SLOT_ROWS ? sent % SLOTS : null;
        sent++;
        // The packer's arrays are its own again at its next row: into the slot, reused batch after
        // batch (fresh memory for each would be page faults and garbage), or into copies that move
        // to the inserting thread.
        if (slot === null) {
          packed.bytes = Buffer.from(new Uint8Array(packed.bytes).buffer);
          packed.numbers = packed.numbers.slice();
          packed.ends = packed.ends.slice();
          const transfer = [packed.bytes.buffer, packed.numbers.buffer, packed.ends.buffer] as ArrayBuffer[];
          parentPort!.postMessage({ type: 'batch', batch, slot, length } satisfies WorkerMessage, transfer);
          continue;
        }
        slotBytes.set(packed.bytes, slot * SLOT_BYTES);
        numberSlots.set(packed.numbers, slot * SLOT_ROWS * NUMBERS);
        endSlots.set(packed.ends, slot * SLOT_ROWS * 2);
        packed.bytes = Buffer.alloc(0);
        packed.numbers = new Float64Array(0);
        packed.ends = new Int32Array(0);
        parentPort!.postMessage({ type: 'batch', batch, slot, length } satisfies WorkerMessage);
      }
      post({ type: 'part', index: part.index });
    }
  } catch (err) {
    if (err instanceof FileReadError)
      post({ type: 'error', error: { code: err.code, zh: err.zh, en: err.en } });
    else post({ type: 'crash', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}
