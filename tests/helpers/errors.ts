import { DEFAULT_LIMITS, FileReadError, type ReadLimits } from '../../electron/engine/import/readers/types';

/** The error of the given class that `fn` throws; fails the test if it throws nothing or another. */
export function thrown<E extends Error>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}`);
}

/** The FileReadError that `fn` throws. */
export const readErrorOf = (fn: () => unknown): FileReadError => thrown(fn, FileReadError);

/** The default read limits with some overridden. */
export const limitsWith = (over: Partial<ReadLimits>): ReadLimits => ({ ...DEFAULT_LIMITS, ...over });
