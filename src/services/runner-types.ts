/**
 * @module services/runner-types
 * The runner's contract with the execution service: what a stored run's request holds, what the
 * runner needs, and what it offers.
 */

import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { WorkflowDefinition } from '../core/workflow.ts';
import type { ExecutionResult } from '../engine/index.ts';
import type { Metrics } from '../metrics.ts';
import type { SubWorkflowPort } from '../nodes/node-type.ts';
import type { CancelBus } from '../queue/cancel-bus.ts';
import type { QueueStatus } from '../queue/worker-watch.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import type { ProgressWriter } from '../store/progress-writer.ts';
import type { EventRelay } from './event-relay.ts';
import type { RunDistributionFactory } from './run-distribution.ts';

/** Stored request of a run: everything the runner needs besides the published snapshot. */
export interface StoredRequest {
  readonly trigger_data: Record<string, unknown>;
  readonly trigger_variable?: unknown;
  readonly variables: Record<string, unknown>;
  readonly mock_outputs?: Record<string, unknown>;
  readonly mock_errors?: Record<string, string>;
  /** Test runs carry their (unpublished) definition. */
  readonly definition?: WorkflowDefinition;
}

export interface ExecutionRunnerDeps {
  readonly writes: ProgressWriter;
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly metrics: Metrics;
  readonly events: EventRelay;
  /** Cancels for runs of this process, heard from wherever they were asked. */
  readonly cancels: CancelBus;
  /** How runs reach a process that runs them: in this process, or any worker (mode.ts chooses). */
  readonly runs: RunDistributionFactory;
  /** A run's row once it ended, or undefined after `timeoutMs` (wherever it runs). */
  waitForEnd(executionId: string, timeoutMs: number): Promise<ExecutionRow | undefined>;
  definitionOf(row: ExecutionRow): Promise<WorkflowDefinition>;
  /** `settings.max_parallel_executions` of the published version a run runs. */
  maxParallelOf(workflowId: string, version: number): Promise<number | undefined>;
  /** The opened credentials a run's definition refers to (name -> field -> value). */
  credentialsFor?(entityId: number | null, definition: WorkflowDefinition): Promise<RunCredentials>;
  /** Sub-workflow calls made by the run of `row`; `stopping`: this process is shutting down. */
  subWorkflows?(row: ExecutionRow, stopping: () => boolean): SubWorkflowPort;
  /** After a run's end is stored (error workflows start here); must not throw. */
  afterEnd?(row: ExecutionRow, end: RunEnd, definition: WorkflowDefinition | undefined): void;
}

export type RunCredentials = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface RunEnd {
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly error_message: string | null;
  readonly error_node_id: string | null;
}

export interface ExecutionRunner {
  /**
   * Queues the row just inserted; `maxParallel`: its version's cap. Started at once the row is
   * used as it is; otherwise only its id waits, and the row is read back when it starts.
   */
  enqueue(stored: ExecutionRow, maxParallel: number | undefined): void;
  /**
   * Runs a sub-workflow call's child now, on its parent's slot (a parent waiting for a slot its
   * own child needs could deadlock the queue). A start already under way here is joined; undefined
   * when the run is not this process's to run (ended, or taken by another worker).
   */
  runNow(executionId: string): Promise<ExecutionResult | undefined>;
  /** Runs a stored test run as soon as the process and entity caps allow, before queued runs. */
  runTest(executionId: string, entityId: number | null): Promise<ExecutionResult | undefined>;
  /**
   * Stops a run whose cancel is stored (at `at`): aborted here when it runs here, else ended here
   * when it runs nowhere, else aborted where it runs (services/run-distribution.ts).
   */
  cancel(executionId: string, at: string): Promise<void>;
  /** Waiting and running jobs and the live workers, from the queue. */
  queueStatus(): Promise<QueueStatus>;
  start(): Promise<void>;
  stop(graceMs: number): Promise<void>;
}
