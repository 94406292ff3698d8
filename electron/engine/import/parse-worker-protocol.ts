import type { StoreBatch } from '../store/imports';
import type { FileLayout, ParseOptions } from './parse';

export interface WorkerInput {
  path: string;
  fileName: string;
  options: ParseOptions;
  /** SharedArrayBuffer holding one Int32: batches the worker may still send. */
  credits: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'layout'; layout: FileLayout }
  | { type: 'batch'; batch: StoreBatch }
  | { type: 'end' }
  | { type: 'error'; error: { code: string; zh: string; en: string } }
  | { type: 'crash'; message: string };
