/**
 * @module services/execution-watching
 * Waiting for a run's end (wait_for_completion, cancels) and watching its node events (gRPC
 * WatchExecution, SSE), wherever the run is: the relay brings its events here (from this
 * process, or from any worker through Redis). Nothing polls: a watcher of a run not finished
 * listens first, then reads the row, so an end or an event can fall in neither gap.
 */
import { AppError, notFoundError } from '../errors.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { findExecutionStatus } from '../store/executions-repository.ts';
import type { EventRelay } from './event-relay.ts';
import { SHUTDOWN_STATUS } from './execution-events.ts';
import { type ExecutionEvent, eventKey, isTerminal } from './execution-types.ts';
import { recordedEvents } from './execution-view.ts';

export interface ExecutionWatchingDeps {
  readonly db: Db;
  readonly events: EventRelay;
  /** The row, or 404 EXECUTION_NOT_FOUND. */
  row(executionId: string): Promise<ExecutionRow>;
}

export function createExecutionWatching(deps: ExecutionWatchingDeps) {
  const { db, events, row } = deps;

  /** Resolves with the final row, or undefined when `timeoutMs` passes first. */
  async function waitForEnd(
    executionId: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ExecutionRow | undefined> {
    let timer: NodeJS.Timeout | undefined;
    let interrupted = false;
    let resolveEnd: (finished: boolean) => void = () => {};
    const end = new Promise<boolean>((resolve) => {
      resolveEnd = resolve;
    });
    const unsubscribe = await events.subscribe(
      executionId,
      (event) => {
        interrupted = event.status === SHUTDOWN_STATUS;
        if (event.final) resolveEnd(true);
      },
      false,
    );
    timer = setTimeout(() => resolveEnd(false), timeoutMs);
    // A waiter that gave up (its own run was stopped) lets go of the subscription and the timer now.
    const giveUp = () => resolveEnd(false);
    signal?.addEventListener('abort', giveUp, { once: true });
    try {
      // Only the status first: the run may have ended before the subscription above.
      const status = await findExecutionStatus(db, executionId);
      if (status === undefined) throw notFoundError('EXECUTION_NOT_FOUND');
      if (isTerminal(status)) return row(executionId);
      const finished = await end;
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
      clearTimeout(timer);
      signal?.removeEventListener('abort', giveUp);
    }
  }

  /**
   * Tells the run's events from its first node: what the stored record holds, then what the
   * relay brings (live events, and the events the run's worker kept, replayed on request). An
   * event of a node earlier than the record's event of that node, or already told (the same
   * eventKey, or the node, status and time of the record's summary, which names no run or attempt),
   * is not told again. A node the relay had already told of when the record was read is told from
   * the relay only: its events name each run and attempt (retries are not in the record until the
   * node ends), where the record has one summary event.
   */
  async function watch(executionId: string, listener: (event: ExecutionEvent) => void): Promise<() => void> {
    let done = false;
    let recordTold = false;
    const recordAt = new Map<string | null, string>();
    const told = new Set<string>();
    const early: ExecutionEvent[] = [];
    const tell = (event: ExecutionEvent, fromRecord: boolean) => {
      if (done) return;
      if (!event.final) {
        const key = eventKey(event);
        const recorded = recordAt.get(event.node_id);
        if (told.has(key)) return;
        if (!fromRecord && recorded !== undefined) {
          // Older than the record's summary of the node, or the very event it summarizes (same
          // status and time; the summary names no run or attempt, so that is all they share).
          const { node_id, status, at } = event;
          if (at < recorded || told.has(eventKey({ node_id, status, at }))) return;
        }
        told.add(key);
        if (fromRecord && (recorded === undefined || event.at > recorded)) recordAt.set(event.node_id, event.at);
      }
      done = event.final;
      listener(event);
    };
    const tellRecord = (finished: ExecutionRow) => {
      for (const event of recordedEvents(finished)) tell(event, true);
      return () => {};
    };
    // A finished run is told from its record: nothing to listen for, and a replay (which may wait
    // a moment for the worker's answer, event-relay.ts) would only hold the watcher up.
    const before = await row(executionId);
    if (isTerminal(before.status)) return tellRecord(before);
    const unsubscribe = await events.subscribe(
      executionId,
      (event) => {
        if (recordTold) tell(event, false);
        else early.push(event);
      },
      true,
    );
    let current: ExecutionRow;
    try {
      current = await row(executionId);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    if (isTerminal(current.status)) {
      // Finished meanwhile: the record holds the whole run.
      unsubscribe();
      return tellRecord(current);
    }
    const recorded = recordedEvents(current);
    const heard = new Set(early.map((event) => event.node_id));
    for (const event of recorded) if (!event.final && !heard.has(event.node_id)) tell(event, true);
    recordTold = true;
    for (const event of early.splice(0)) tell(event, false);
    return () => {
      done = true;
      unsubscribe();
    };
  }

  return { waitForEnd, watch };
}

export type ExecutionWatching = ReturnType<typeof createExecutionWatching>;
