import type { StoreBatch } from '../store/imports';
import type { FileLayout, ParseOptions } from './parse';
import type { TextRange } from './readers/types';

export interface WorkerInput {
  /** The whole file, shared by the importing thread with every parsing worker (no copies). */
  bytes: SharedArrayBuffer;
  fileName: string;
  options: ParseOptions;
  /** The parts this worker reads, in order: numbered in file order; range null for all rows. */
  parts: Array<{ index: number; range: TextRange | null }>;
  /** SharedArrayBuffer holding one Int32: batches the worker may still send. */
  credits: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'layout'; layout: FileLayout }
  | { type: 'batch'; batch: StoreBatch }
  /** Every batch of part `index` has been sent. */
  | { type: 'part'; index: number }
  | { type: 'error'; error: { code: string; zh: string; en: string } }
  | { type: 'crash'; message: string };
