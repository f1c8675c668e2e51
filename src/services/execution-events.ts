/**
 * @module services/execution-events
 * In-process fan-out of node events to watchers (gRPC WatchExecution, SSE, wait_for_completion).
 */
import type { ExecutionEvent } from './execution-types.ts';

export interface ExecutionEvents {
  subscribe(executionId: string, listener: (event: ExecutionEvent) => void): () => void;
  publish(event: ExecutionEvent): void;
  /** True when someone listens: the runner skips building events nobody reads. */
  watched(executionId: string): boolean;
}

export function createExecutionEvents(): ExecutionEvents {
  const listeners = new Map<string, Set<(event: ExecutionEvent) => void>>();
  return {
    subscribe(executionId, listener) {
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
    watched: (executionId) => listeners.has(executionId),
  };
}
