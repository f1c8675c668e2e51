/**
 * @module services/execution-watching
 * Waiting for a run's end (wait_for_completion, cancels) and watching its node events (gRPC
 * WatchExecution, SSE). Events come from this process; with a shared queue (REDIS_URL) the run
 * may be elsewhere, so its end is also learnt by reading the row every 100 ms.
 */
import { AppError, notFoundError } from '../errors.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { findExecution, findExecutionStatus } from '../store/executions-repository.ts';
import { type ExecutionEvents, SHUTDOWN_STATUS } from './execution-events.ts';
import { type ExecutionEvent, type ExecutionStatus, TERMINAL_STATUSES } from './execution-types.ts';
import { recordedEvents } from './execution-view.ts';

/**
 * Shared queue (REDIS_URL): a run in another process publishes its events there only, so waits
 * and watches here learn of its end by reading the row this often. Simpler than relaying every
 * node event through Redis, and the run's recorded node states are replayed at its end.
 */
const END_POLL_MS = 100;

export interface ExecutionWatchingDeps {
  readonly db: Db;
  readonly events: ExecutionEvents;
  /** The queue is shared across processes (REDIS_URL). */
  readonly shared: boolean;
  /** The row, or 404 EXECUTION_NOT_FOUND. */
  row(executionId: string): Promise<ExecutionRow>;
}

export function createExecutionWatching(deps: ExecutionWatchingDeps) {
  const { db, events, row } = deps;

  /** Shared queue only: calls `onEnd` once with the row when the run has ended (read every 100 ms). */
  function pollForEnd(executionId: string, onEnd: (ended: ExecutionRow) => void): () => void {
    if (!deps.shared) return () => {};
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      const status = await findExecutionStatus(db, executionId).catch(() => undefined);
      if (stopped) return;
      if (status !== undefined && TERMINAL_STATUSES.has(status as ExecutionStatus)) {
        const ended = await findExecution(db, executionId).catch(() => undefined);
        if (ended && !stopped) {
          stopped = true;
          onEnd(ended);
          return;
        }
      }
      timer = setTimeout(poll, END_POLL_MS);
    };
    timer = setTimeout(poll, END_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** Resolves with the final row, or undefined when `timeoutMs` passes first. */
  async function waitForEnd(executionId: string, timeoutMs: number): Promise<ExecutionRow | undefined> {
    let unsubscribe = () => {};
    let stopPolling = () => {};
    let timer: NodeJS.Timeout | undefined;
    let interrupted = false;
    const ended = new Promise<boolean>((resolve) => {
      unsubscribe = events.subscribe(executionId, (event) => {
        interrupted = event.status === SHUTDOWN_STATUS;
        if (event.final) resolve(true);
      });
      stopPolling = pollForEnd(executionId, () => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      // Only the status first: the run may have ended before the subscription above.
      const status = await findExecutionStatus(db, executionId);
      if (status === undefined) throw notFoundError('EXECUTION_NOT_FOUND');
      if (TERMINAL_STATUSES.has(status as ExecutionStatus)) return row(executionId);
      const finished = await ended;
      if (interrupted) {
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          'The service is restarting; the execution goes on after the restart',
          {
            execution_id: executionId,
          },
        );
      }
      return finished ? await row(executionId) : undefined;
    } finally {
      unsubscribe();
      stopPolling();
      clearTimeout(timer);
    }
  }

  async function watch(executionId: string, listener: (event: ExecutionEvent) => void): Promise<() => void> {
    let ended = false;
    let heard = 0;
    const unsubscribe = events.subscribe(
      executionId,
      (event) => {
        if (ended) return;
        ended = event.final;
        heard++;
        listener(event);
      },
      true,
    );
    const current = await row(executionId);
    if (ended) return unsubscribe;
    if (TERMINAL_STATUSES.has(current.status as ExecutionStatus)) {
      // Finished before (or elsewhere than) this process kept its events: tell them from the record.
      unsubscribe();
      for (const event of recordedEvents(current)) listener(event);
      return () => {};
    }
    // Shared queue: the run may be in another process; its recorded events are told at its end
    // (only the end when this process already relayed some of them live).
    const stopPolling = pollForEnd(executionId, (finished) => {
      if (ended) return;
      ended = true;
      unsubscribe();
      const recorded = recordedEvents(finished);
      for (const event of heard > 0 ? recorded.slice(-1) : recorded) listener(event);
    });
    return () => {
      stopPolling();
      unsubscribe();
    };
  }

  return { waitForEnd, watch };
}

export type ExecutionWatching = ReturnType<typeof createExecutionWatching>;
