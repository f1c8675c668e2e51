/**
 * @module runs/use-load
 * Loading one thing for a page: data, the API error (code and message) if it failed, and reload.
 */
import { type DependencyList, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useSession } from '../shell/session-context.tsx';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | null;
  readonly loading: boolean;
  reload(): void;
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError(0, 'CLIENT_ERROR', (error as Error)?.message ?? String(error));
}

/** Loads again when the session's token changes (signing in again after a 401). */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const { token, expired } = useSession();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on
  useEffect(() => {
    let live = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!live) return;
        setError(asApiError(failure));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, tick, token, expired]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** Loads again every `ms` while the page shows it (null: not now), for lists that change on their own. */
export function useRefresh(reload: () => void, ms: number | null): void {
  useEffect(() => {
    if (ms === null) return;
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
  }, [reload, ms]);
}
