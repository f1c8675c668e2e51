/**
 * @module runs/run-reader
 * Reading one execution's record for the run page, again when asked: at once, or "soon" on one
 * timer (a live event asks for the outbox and node data, a network blip for another try), the
 * earliest wish winning. A network error while the run is on screen keeps the page and tries
 * again; any other failure is shown. Closed, it reads nothing more and lets nothing of an answer
 * still under way land (the page moved to another run, or went). Plain: no React.
 */
import type { ApiError } from '../api/client.ts';
import { asApiError } from './use-load.ts';

/** How long after a network error the record is read again. */
export const RETRY_MS = 2000;

/** What a failed read leads to: another try in `retryInMs`, or the error on the page. */
export function afterFailedRead(error: ApiError, shown: boolean): { retryInMs: number } | { show: ApiError } {
  // Only a request that never reached the server; a CLIENT_ERROR (bad JSON, a bug) would fail again.
  if (shown && error.code === 'NETWORK_ERROR') return { retryInMs: RETRY_MS };
  return { show: error };
}

export interface RunReaderHandlers<T> {
  loaded(value: T): void;
  failed(error: ApiError): void;
}

export interface RunReader {
  reload(): void;
  /** Reads again in `ms`, or sooner if a reload is already due sooner. */
  soon(ms: number): void;
  close(): void;
}

/** `shown`: the page already shows this run (a reader started again after a new sign-in). */
export function createRunReader<T>(read: () => Promise<T>, on: RunReaderHandlers<T>, shown = false): RunReader {
  let alive = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dueAt = 0;

  function reload() {
    if (!alive) return;
    read().then(
      (value) => {
        if (!alive) return;
        shown = true;
        on.loaded(value);
      },
      (failure: unknown) => {
        if (!alive) return;
        const next = afterFailedRead(asApiError(failure), shown);
        if ('retryInMs' in next) soon(next.retryInMs);
        else on.failed(next.show);
      },
    );
  }

  function soon(ms: number) {
    if (!alive) return;
    const at = Date.now() + ms;
    if (timer !== null) {
      if (dueAt <= at) return;
      clearTimeout(timer);
    }
    dueAt = at;
    timer = setTimeout(() => {
      timer = null;
      reload();
    }, ms);
  }

  return {
    reload,
    soon,
    close() {
      alive = false;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
