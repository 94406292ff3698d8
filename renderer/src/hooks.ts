import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../../shared/api';
import { ApiFailure } from './api';

/** Loads data for a screen; `reload` fetches again after a change, `set` takes the fresh data an
 *  action already answered with. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the load depends on
  const run = useCallback(load, deps);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is how reload asks for a fresh load
  useEffect(() => {
    let live = true;
    run().then(
      (d) => {
        if (live) {
          setData(d);
          setError(null);
        }
      },
      (err: unknown) => {
        if (live) setError(asApiError(err));
      },
    );
    return () => {
      live = false;
    };
  }, [run, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, reload, set: setData };
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.error;
  const text = err instanceof Error ? err.message : String(err);
  return { code: 'internal', zh: text, en: text };
}
