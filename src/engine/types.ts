/**
 * @module engine/types
 * What the engine takes and gives: the request to run, its dependencies (node types, side-effect
 * ports, clock, limits, recorder) and the execution record it returns. Record fields keep the
 * wire's snake_case so the persistence layer and the API can store and answer them as they are.
 */
import type { WorkflowDefinition } from '../core/workflow.ts';
import type { Delivery, ExpressionRunner, HttpClient, NodeTypeLookup, SubWorkflowPort } from '../nodes/node-type.ts';
import type { ExecutionCheckpoint } from './checkpoint-types.ts';
import type { ExecutionCounters, NodeEvent, NodeState, OutboxEntry } from './record-types.ts';
import type { RunSpan } from './spans.ts';

export type { ExecutionCounters, NodeEvent, NodeState, NodeStatus, OutboxEntry } from './record-types.ts';
export { NODE_STATUSES } from './record-types.ts';

export interface EngineLimits {
  readonly workflowTimeoutMs: number;
  readonly maxLoopIterations: number;
  readonly maxTotalOperations: number;
  readonly maxLoopDepth: number;
  readonly maxParallelNodes: number;
  /** Cap of each stored node input and output (and each final variable). */
  readonly maxStoredBytes: number;
  readonly expressionTimeoutMs: number;
}

/** The defaults of PRODUCT.md section 1 (WORKFLOW_TIMEOUT, MAX_* variables). */
export const DEFAULT_ENGINE_LIMITS: EngineLimits = Object.freeze({
  workflowTimeoutMs: 300_000,
  maxLoopIterations: 1000,
  maxTotalOperations: 10_000,
  maxLoopDepth: 10,
  maxParallelNodes: 10,
  maxStoredBytes: 64 * 1024,
  expressionTimeoutMs: 1000,
});

export const EXECUTION_END_STATUSES = ['completed', 'failed', 'cancelled'] as const;
export type ExecutionEndStatus = (typeof EXECUTION_END_STATUSES)[number];

/**
 * Persistence hooks. Returned promises are awaited, so a lane does not start its next node before
 * the previous node's checkpoint is stored; return nothing to stay on the fast path.
 */
export interface ExecutionRecorder {
  onNodeStarted?(state: Readonly<NodeState>): void | Promise<void>;
  /**
   * `checkpoint()` builds a JSON-safe deep copy of the whole run state (cost grows with the
   * variable scope): call it when you mean to store it, e.g. every node or throttled.
   */
  onNodeFinished?(
    state: Readonly<NodeState>,
    checkpoint: () => ExecutionCheckpoint,
    /** The same checkpoint as JSON text, built in one pass: cheaper when it is only stored. */
    checkpointJson: () => string,
  ): void | Promise<void>;
  /** Live feed for watchers (gRPC WatchExecution, SSE); must not throw. */
  onNodeEvent?(event: NodeEvent): void;
}

export interface EngineClock {
  now(): Date;
}

export interface EngineDeps {
  readonly nodeTypes: NodeTypeLookup;
  readonly delivery: Delivery;
  readonly http: HttpClient;
  /** JSONata evaluation (the worker pool; condition rules never go through it). */
  readonly expressions: ExpressionRunner;
  readonly clock: EngineClock;
  readonly limits: EngineLimits;
  readonly recorder?: ExecutionRecorder;
  /** Uniform in [0, 1): retry jitter. Injectable for tests. */
  readonly random?: () => number;
}

export interface ExecutionRequest {
  readonly executionId: string;
  readonly workflowId: string;
  readonly entityId: number | null;
  readonly communityId: number | null;
  readonly definition: WorkflowDefinition;
  /** The trigger node(s) that fired; absent: `selectTriggerNodes` (manual ones, else all triggers). */
  readonly triggerNodeIds?: readonly string[];
  /** Merged into the variables (after global_variables) and given as input to the trigger node. */
  readonly triggerData?: Readonly<Record<string, unknown>>;
  /** The value of the `trigger` variable; default: `triggerData` whole (webhooks pass their own). */
  readonly triggerVariable?: unknown;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly testMode?: boolean;
  /** Test mode pins: node id -> output; see run-node.ts for how the ports are chosen. */
  readonly mockOutputs?: Readonly<Record<string, unknown>>;
  /** Test mode: node id -> message; that node fails at once, without retries. */
  readonly mockErrors?: Readonly<Record<string, string>>;
  /** Cancellation from the caller. */
  readonly signal?: AbortSignal;
  /** Opened credentials the definition refers to: `{{ $credentials.<name>.<field> }}` (never in the scope). */
  readonly credentials?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Starts sub-workflow runs (action_workflow). */
  readonly workflows?: SubWorkflowPort;
}

export interface ExecutionResult {
  readonly execution_id: string;
  readonly status: ExecutionEndStatus;
  readonly started_at: string;
  readonly completed_at: string;
  /** Running time (time before a crash included, downtime excluded). */
  readonly duration_ms: number;
  readonly execution_path: readonly string[];
  readonly node_states: Readonly<Record<string, NodeState>>;
  readonly final_variables: Record<string, unknown>;
  readonly final_output: Record<string, unknown> | null;
  readonly outbox: readonly OutboxEntry[];
  readonly error_message: string | null;
  readonly error_node_id: string | null;
  /** Which engine limit ended the run, if one did (see limits.ts). */
  readonly limit: string | null;
  readonly counters: ExecutionCounters;
  readonly node_durations_ms: Readonly<Record<string, number>>;
  /** One span per node run attempt, in run time (spans.ts). */
  readonly timeline: readonly RunSpan[];
  /** Spans past MAX_SPANS, counted only. */
  readonly timeline_dropped: number;
}
