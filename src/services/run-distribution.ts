/**
 * @module services/run-distribution
 * How runs reach a process that runs them, and how a cancel reaches that process: the one
 * difference between a single process (services/local-runs.ts: the in-process queue, this
 * process runs everything) and a shared Redis (services/shared-runs.ts: BullMQ, any worker takes
 * a run). The composition root (mode.ts) picks one factory; the runner builds it over its own
 * parts and never asks which one it has.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Metrics } from '../metrics.ts';
import type { CancelBus } from '../queue/cancel-bus.ts';
import type { ShareKeys } from '../queue/fair-share.ts';
import type { LocalQueue } from '../queue/local-queue.ts';
import type { QueueStatus } from '../queue/worker-watch.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import type { ExecutionKeys } from '../store/waiting-runs-repository.ts';

/** What the runner lends the distribution. */
export interface RunDistributionDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly metrics: Metrics;
  /** The caps every run of this process counts against (test runs, and a shared job too). */
  readonly local: LocalQueue;
  /** Where a cancel is published for whichever process runs the execution. */
  readonly cancels: Pick<CancelBus, 'publish'>;
  keysOf(row: ExecutionKeys): Promise<ShareKeys>;
  /** Runs a stored run here (claim, engine, end). */
  run(executionId: string): Promise<unknown>;
  /** True while this process runs the execution. */
  runsHere(executionId: string): boolean;
  /** Stores what is pending, before a run handed back can be resumed elsewhere. */
  flush(): Promise<void>;
  /** Ends as cancelled a run that runs nowhere (`onlyQueued`: only if still queued); false if not such a run. */
  endUnstarted(executionId: string, at: string, onlyQueued?: boolean): Promise<boolean>;
  /** The run's row once it ended, or undefined after `timeoutMs`. */
  waitForEnd(executionId: string, timeoutMs: number): Promise<ExecutionRow | undefined>;
}

export interface RunDistribution {
  /** Queues a run just stored, under its fair-share keys. */
  enqueue(executionId: string, keys: ShareKeys): void;
  /** Queues what a previous process left unfinished (oldest first), then takes runs. */
  start(unfinished: readonly ExecutionKeys[]): Promise<void>;
  /** True when this start repeats one this process is running now: it is ignored. */
  repeats(executionId: string): boolean;
  /** This process stopped the run at shutdown: it stays `running`, for the next start to resume. */
  interrupted(executionId: string): void;
  /**
   * A run whose cancel is stored and which does not run in this process: ended here when it
   * runs nowhere, otherwise aborted where it runs.
   */
  cancelNotHere(executionId: string, at: string): Promise<void>;
  /** Waiting, not yet running (the queue-depth gauge). */
  depth(): number;
  /** For operators: waiting and running runs, and the workers taking them. */
  status(): Promise<QueueStatus>;
  /** Stops taking runs and waits up to `graceMs` for the ones in hand. */
  stop(graceMs: number): Promise<void>;
  /** Lets go of what it holds outside the process (after `stop`). */
  close(): Promise<void>;
}

export type RunDistributionFactory = (deps: RunDistributionDeps) => RunDistribution;
