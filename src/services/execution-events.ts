/**
 * @module services/execution-events
 * In-process fan-out of node events to watchers (gRPC WatchExecution, SSE, wait_for_completion).
 * The events of each run in progress here are kept (bounded), so a watcher who arrives late
 * still sees every node from the first, then the live ones, with nothing missed in between.
 * The relay of a single process wraps it; the Redis relay (queue/redis-event-relay.ts) uses it
 * on each side of Redis.
 */
import type { EventRelay } from './event-relay.ts';
import type { ExecutionEvent } from './execution-types.ts';

/** Per run; a longer run (a big loop) keeps its latest events only. */
export const EVENT_HISTORY_LIMIT = 1000;

export interface ExecutionEvents {
  /** `replay`: first hand the listener the events this run has had so far. */
  subscribe(executionId: string, listener: (event: ExecutionEvent) => void, replay?: boolean): () => void;
  publish(event: ExecutionEvent): void;
  /** Starts keeping this run's events; the final event ends it. */
  track(executionId: string): void;
  /** The events kept of a run tracked here, or undefined. */
  history(executionId: string): readonly ExecutionEvent[] | undefined;
  /**
   * The process is stopping: every watcher gets a final event with status `shutdown` (the run
   * itself goes on after the next start), so streams and waits end instead of holding shutdown.
   */
  shutdown(at: string): void;
}

export const SHUTDOWN_STATUS = 'shutdown';

export function createExecutionEvents(): ExecutionEvents {
  const listeners = new Map<string, Set<(event: ExecutionEvent) => void>>();
  const history = new Map<string, ExecutionEvent[]>();
  return {
    subscribe(executionId, listener, replay = false) {
      if (replay) for (const event of history.get(executionId) ?? []) listener(event);
      let set = listeners.get(executionId);
      if (!set) {
        set = new Set();
        listeners.set(executionId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(executionId) === set) listeners.delete(executionId);
      };
    },
    publish(event) {
      const kept = history.get(event.execution_id);
      if (event.final) history.delete(event.execution_id);
      else if (kept) {
        if (kept.length >= EVENT_HISTORY_LIMIT) kept.shift();
        kept.push(event);
      }
      const set = listeners.get(event.execution_id);
      if (!set) return;
      for (const listener of [...set]) {
        try {
          listener(event);
        } catch {
          // A watcher's failure must not break the run or other watchers.
        }
      }
    },
    track(executionId) {
      if (!history.has(executionId)) history.set(executionId, []);
    },
    history: (executionId) => history.get(executionId),
    shutdown(at) {
      for (const [executionId, set] of [...listeners]) {
        const event = {
          execution_id: executionId,
          node_id: null,
          status: SHUTDOWN_STATUS,
          at,
          output: {},
          final: true,
        };
        for (const listener of [...set]) {
          try {
            listener(event);
          } catch {
            // Stopping anyway.
          }
        }
      }
      listeners.clear();
    },
  };
}

/** The relay of a single process: its runs' events go straight to its own watchers. */
export function createLocalEventRelay(): EventRelay {
  const events = createExecutionEvents();
  return {
    publish: events.publish,
    track: events.track,
    subscribe: async (executionId, listener, replay) => events.subscribe(executionId, listener, replay),
    shutdown: events.shutdown,
    close: async () => {},
  };
}
