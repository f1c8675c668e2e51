/**
 * @module queue/queue
 * What runs executions: an id goes in, a handler runs it with bounded concurrency. The local
 * queue serves one process; a Redis (BullMQ) queue implements the same interface across processes.
 */

import type { QueueStatus } from './worker-watch.ts';

export type ExecutionHandler = (executionId: string) => Promise<void>;

export interface ExecutionQueue {
  enqueue(executionId: string): void;
  /** Starts taking work; the handler never runs more than `concurrency` at once. */
  start(handler: ExecutionHandler): void;
  /** Stops taking work and waits up to `graceMs` for running handlers. */
  stop(graceMs: number): Promise<void>;
  /** Waiting, not yet running. */
  depth(): number;
  /** Running now. */
  active(): number;
  /** For operators (`/api/v1/status`): waiting and running jobs, and the workers taking them. */
  status(): Promise<QueueStatus>;
}
