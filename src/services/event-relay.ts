/**
 * @module services/event-relay
 * How node events of a run reach its watchers (SSE, gRPC WatchExecution, waits): within one
 * process (services/execution-events.ts), or across processes through Redis
 * (queue/redis-event-relay.ts) when runs and watchers live in different processes. The
 * composition root picks one; services see only this interface.
 */
import type { ExecutionEvent } from './execution-types.ts';

export interface EventRelay {
  /** An event of a run of this process: to every watcher of that run, in order, wherever it is. */
  publish(event: ExecutionEvent): void;
  /** A run starts here: keep its events for watchers who come late. */
  track(executionId: string): void;
  /**
   * Listens to one run's events; resolves once listening, so no event published after that is
   * missed. `replay`: also the events the run had so far where it runs (possibly some the caller
   * already knows from the stored record), told before any later one and before the promise
   * resolves, so a caller that reads the record next knows which nodes the relay already told.
   * Where the history must be fetched, its wait is bounded: if none came in time, it is skipped.
   */
  subscribe(executionId: string, listener: (event: ExecutionEvent) => void, replay: boolean): Promise<() => void>;
  /** The process is stopping: ends every watcher here with a final `shutdown` event. */
  shutdown(at: string): void;
  close(): Promise<void>;
}
