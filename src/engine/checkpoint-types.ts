/**
 * @module engine/checkpoint-types
 * The JSON shape of a checkpoint: everything `resumeExecution` needs to continue a run after a
 * crash. It mirrors the walk state (frames, lanes, loops, joins) as plain data; completed nodes
 * live only in `node_states` and the scope, so they are never run again, while a token that was
 * in flight sits back on its lane's stack and runs again.
 */
import type { ExecutionCounters, NodeState, OutboxEntry } from './record-types.ts';

export const CHECKPOINT_VERSION = 1;

export interface TokenData {
  readonly node: string;
  readonly input: unknown;
  /** Node that sent it (null for trigger tokens and joined tokens). */
  readonly from: string | null;
}

export interface JoinData {
  readonly node: string;
  /** Connection index -> how it arrived. */
  readonly arrived: Record<string, 'live' | 'dead'>;
  /** Source node id -> payload of its live arrival. */
  readonly inputs: Record<string, unknown>;
  readonly live: number;
  readonly fired: boolean;
  /** Lane id where a fired join continues (a running ancestor of its live arrivals), if any. */
  readonly lane: number | null;
}

export interface SavedVariableData {
  readonly present: boolean;
  readonly value: unknown;
}

export interface LoopData {
  readonly kind: 'loop';
  readonly node: string;
  readonly loop_kind: 'foreach' | 'while';
  readonly items: readonly unknown[] | null;
  readonly item_variable: string;
  readonly index_variable: string;
  readonly max_iterations: number;
  readonly input: unknown;
  readonly output: unknown;
  readonly iteration: number;
  readonly needs_eval: boolean;
  readonly broken: boolean;
  readonly saved_item: SavedVariableData;
  readonly saved_index: SavedVariableData;
  readonly frame: FrameData | null;
}

export interface GroupData {
  readonly kind: 'group';
  readonly node: string;
  readonly remaining_ms: number;
  readonly timeout_ms: number;
  readonly lanes: readonly LaneData[];
}

export interface LaneData {
  readonly id: number;
  /** Bottom first; an in-flight token is already back on top. */
  readonly stack: readonly TokenData[];
  readonly sub: GroupData | LoopData | null;
}

export interface FrameData {
  readonly id: number;
  readonly depth: number;
  readonly touched: readonly string[];
  readonly joins: readonly JoinData[];
  readonly deferred_skips: readonly number[];
  readonly root: LaneData;
}

export interface ExecutionCheckpoint {
  readonly version: typeof CHECKPOINT_VERSION;
  readonly execution_id: string;
  readonly started_at: string;
  readonly elapsed_ms: number;
  readonly trigger_node_ids: readonly string[];
  readonly next_id: number;
  readonly operations: number;
  readonly scope: Record<string, unknown>;
  readonly root: FrameData;
  readonly node_states: Record<string, NodeState>;
  readonly execution_path: readonly string[];
  readonly counters: ExecutionCounters;
  readonly node_durations_ms: Record<string, number>;
  readonly outbox: readonly OutboxEntry[];
  readonly final_output: Record<string, unknown> | null;
}
