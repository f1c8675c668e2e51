/**
 * @module engine/record-types
 * The shapes a run records per node and per execution (wire snake_case): node state, counters,
 * outbox entries and live node events.
 */
import type { DeliveryKind } from '../nodes/node-type.ts';

/** `cancelled`: the node was running when its execution was cancelled (PRODUCT.md §5). */
export const NODE_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped', 'cancelled'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** One node's record. A node that ran many times (loops) keeps one aggregated record. */
export interface NodeState {
  readonly node_id: string;
  readonly node_type: string;
  status: NodeStatus;
  started_at: string | null;
  completed_at: string | null;
  input_data: unknown;
  output_data: unknown;
  logs: string[];
  error: string | null;
  /** Attempts of the latest run (retries make it > 1). */
  attempts: number;
  /** Present when the node ran more than once. */
  runs?: number;
}

export interface ExecutionCounters {
  nodes_executed: number;
  nodes_failed: number;
  nodes_skipped: number;
  /** Attempts after the first, over all runs. */
  retries: number;
}

export interface OutboxEntry {
  readonly node_id: string;
  readonly kind: DeliveryKind | 'http';
  readonly payload: unknown;
  readonly delivered: boolean;
  readonly simulated: boolean;
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
}

export interface NodeEvent {
  readonly node_id: string;
  readonly status: NodeStatus;
  readonly at: string;
  readonly output: unknown;
  /**
   * On the events of a node run (not `skipped`): the run, attempt and lane of its span in the
   * stored timeline (spans.ts), so a live view can draw retries and parallel branches as the
   * stored timeline will.
   */
  readonly run?: number;
  readonly attempt?: number;
  readonly lane?: number;
  /** On the `failed` event of an attempt that is retried: the same run's next attempt follows. */
  readonly retrying?: true;
}
