import type { Bilingual } from '../../shared/records';
import type { Dispatched } from '../engine/api/handlers';

// Messages between the main process and the engine's utility process. The engine (SQLite, imports,
// reconcile, exports) runs there so that long work never blocks the window or the menus.

export interface HostStart {
  dbPath: string;
  nativeBinding: string;
  user: string;
}

export type ToHost =
  | { type: 'call'; id: number; channel: string; req: unknown }
  /** Files the user chose in an open dialog or dropped on the window. */
  | { type: 'grant'; id: number; paths: string[] }
  | { type: 'restore'; id: number; file: string }
  /** The answer to a host's request to save a file (where the user saved it, or null). */
  | { type: 'delivered'; id: number; savedTo: string | null };

/** A request from main, before the client numbers it. */
export type Request = ToHost extends infer M
  ? M extends { type: 'delivered' }
    ? never
    : Omit<M, 'id'>
  : never;

export type FromHost =
  | { type: 'ready' }
  /** The database was refused (locked by another copy, damaged): the window shows why. */
  | { type: 'refused'; error: Bilingual }
  | { type: 'result'; id: number; result: Dispatched }
  | { type: 'deliver'; id: number; name: string; bytes: Uint8Array };
