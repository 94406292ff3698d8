import type { StoreBatch } from '../store/imports';
import { BATCH_ROWS, type FileLayout, type ParseOptions } from './parse';
import type { TextRange } from './readers/types';

/** What a parsing worker is started with (workerData), before the file is read. */
export interface WorkerSetup {
  /** SharedArrayBuffer holding one Int32: batches the worker may still send. */
  credits: SharedArrayBuffer;
  /** SLOTS × SLOT_BYTES the worker writes each batch's bytes into, in turn. */
  slots: SharedArrayBuffer;
  /** SLOTS × SLOT_ROWS rows of a batch's numbers, and of its ends, beside its bytes. */
  slotNumbers: SharedArrayBuffer;
  slotEnds: SharedArrayBuffer;
}

/** What a parsing worker is to read: its first message, once the file is read. */
export interface WorkerInput {
  /** The whole file, in memory the importing thread shares with every parsing worker (no copies);
   *  not always from the memory's start (direct-io.ts). */
  bytes: Uint8Array;
  fileName: string;
  options: ParseOptions;
  /** The parts this worker reads, in order: numbered in file order; range null for all rows. */
  parts: Array<{ index: number; range: TextRange | null }>;
}

/** Batches a worker may have in flight: a little over two parts' worth, so that a worker can
 *  read its next part while the importing thread stores the other worker's. */
export const IN_FLIGHT = 6;
/** One more slot than batches in flight: the importing thread gives a batch's credit back when it
 *  takes the batch, and is done with its bytes before it takes the next (see RecordWriter.add). */
export const SLOTS = IN_FLIGHT + 1;
/** A batch whose bytes or rows do not fit its slot (rows of enormous cells, or a batch size larger
 *  than the usual) travels in its own buffers. */
export const SLOT_BYTES = 4 << 20;
export const SLOT_ROWS = BATCH_ROWS;

export type WorkerMessage =
  | { type: 'layout'; layout: FileLayout }
  /** A batch; its packed bytes (`length` of them), numbers and ends are in slot `slot`, or, with
   *  slot null, in the batch itself. */
  | { type: 'batch'; batch: StoreBatch; slot: number | null; length: number }
  /** Every batch of part `index` has been sent. */
  | { type: 'part'; index: number }
  | { type: 'error'; error: { code: string; zh: string; en: string } }
  | { type: 'crash'; message: string };
