/**
 * @module services/execution-types
 * The execution use cases every door shares (REST, gRPC, webhooks, events, schedules). The
 * implementation is services/executions.ts; other parts code against these types.
 */
import type { Principal } from '../core/permissions.ts';
import type { Db } from '../store/database.ts';
import type { AuthorizedWorkflow } from './access.ts';

export const TRIGGER_SOURCES = [
  'api',
  'grpc',
  'webhook',
  'command',
  'event',
  'schedule',
  'test',
  /** A sub-workflow run started by an action_workflow node. */
  'workflow',
  /** An error workflow started because a run failed. */
  'error',
] as const;
export type TriggerSource = (typeof TRIGGER_SOURCES)[number];

export const EXECUTION_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const TERMINAL_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['completed', 'failed', 'cancelled']);
export const isTerminal = (status: string): boolean => TERMINAL_STATUSES.has(status as ExecutionStatus);

export interface StartExecutionInput {
  readonly workflowId: string;
  readonly triggerSource: TriggerSource;
  /** The trigger node(s) that fired; absent: every trigger_manual node, else every trigger node. */
  readonly triggerNodeIds?: readonly string[];
  /** Merged into the variables and kept whole under `trigger` (PRODUCT.md §5). */
  readonly triggerData?: Readonly<Record<string, unknown>>;
  /** The `trigger` variable when it is not triggerData itself (webhooks). */
  readonly triggerVariable?: unknown;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly actorId?: string | null;
  /** A sub-workflow run: the calling run, its node, and this run's nesting depth. */
  readonly parent?: {
    readonly executionId: string;
    readonly nodeId: string;
    /** The parent's node run that calls, unique (services/sub-workflows.ts). */
    readonly callKey?: string | null;
    readonly depth: number;
  };
  /** The execution this run repeats. */
  readonly rerunOf?: string;
  /** Stored as a test run (a sub-workflow called from /test): nothing is delivered. */
  readonly testMode?: boolean;
}

export interface StartedExecution {
  readonly execution_id: string;
  readonly workflow_id: string;
  readonly workflow_version: number;
  readonly status: 'queued' | 'running';
  readonly queued_at: string;
  readonly start_time: string | null;
  readonly execution_path: readonly string[];
}

export interface PreparedExecution {
  readonly started: StartedExecution;
  /** Hands the stored execution to the queue; call after the transaction that stored it commits. */
  dispatch(): void;
}

/** A workflow the caller knows to be active at this version (a current trigger index). */
export interface ActiveWorkflow {
  readonly workflow_id: string;
  readonly entity_id: number;
  readonly community_id: number | null;
  readonly published_version: number;
}

export interface ExecutionStarter {
  /**
   * Stores the execution as `queued` on the workflow's latest published version, durably, then
   * queues it. Throws AppError WORKFLOW_NOT_FOUND (missing or archived) or WORKFLOW_NOT_ACTIVE
   * (never published), BAD_REQUEST for a trigger node id that is not a trigger of that version.
   */
  start(input: StartExecutionInput, known?: ActiveWorkflow): Promise<StartedExecution>;
  /** The same inside a caller's transaction (a schedule claim and its execution commit together). */
  prepare(trx: Db, input: StartExecutionInput): Promise<PreparedExecution>;
}

/** A node event for live watchers (gRPC WatchExecution, SSE), and the final one when the run ends. */
export interface ExecutionEvent {
  readonly execution_id: string;
  readonly node_id: string | null;
  readonly status: string;
  readonly at: string;
  readonly output: unknown;
  /** Live events of a node run: its run, attempt and timeline lane (engine/record-types NodeEvent). */
  readonly run?: number;
  readonly attempt?: number;
  readonly lane?: number;
  readonly retrying?: true;
  /** True on the last event: the execution reached a terminal state (status is the execution's). */
  readonly final: boolean;
}

/**
 * What tells a repeated event from a new one. `at` is per millisecond, so a node's attempts (retry
 * backoff 0) or loop runs can share it: live events are told apart by run, attempt and lane too.
 * A record's summary event of a node carries none, so its key is node, status and time only.
 */
export function eventKey(
  event: Pick<ExecutionEvent, 'node_id' | 'status' | 'at' | 'run' | 'attempt' | 'lane'>,
): string {
  const key = `${event.node_id}\u0000${event.status}\u0000${event.at}`;
  return event.run === undefined ? key : `${key}\u0000${event.run}\u0000${event.attempt}\u0000${event.lane}`;
}

export interface ExecutionWatcher {
  /**
   * Calls `listener` for every node event from now on, then once with `final: true`. When the
   * execution is already finished, calls it once with the final event. Returns an unsubscribe.
   */
  watch(executionId: string, listener: (event: ExecutionEvent) => void, callerId?: string): Promise<() => void>;
}

export interface ExecutionAccess {
  /** The execution's workflow if the caller holds `needed` on it; else 404 EXECUTION_NOT_FOUND / 403. */
  authorizeExecution(
    principal: Principal,
    executionId: string,
    needed: 'can_view' | 'can_execute',
  ): Promise<AuthorizedWorkflow>;
}
