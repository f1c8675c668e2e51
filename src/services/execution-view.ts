/**
 * @module services/execution-view
 * Stored execution rows → the answers of the reference (get execution, list item, test trace).
 * One mapping for REST and gRPC.
 */
import type { NodeState, RunSpan } from '../engine/index.ts';
import type { ExecutionRow } from '../store/database.ts';
import type { ExecutionSummaryRow } from '../store/executions-repository.ts';
import type { ExecutionEvent } from './execution-types.ts';

/** A node state without logs and data: what include_logs=false answers. */
type SlimNodeState = Omit<NodeState, 'logs' | 'input_data' | 'output_data'>;

export interface StoredMetrics {
  readonly node_durations_ms: Record<string, number>;
  readonly nodes_skipped: number;
  readonly retries: number;
  /** Stored since the run page's timeline; older rows have none. */
  readonly timeline?: readonly RunSpan[];
  readonly timeline_dropped?: number;
}

function parse<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : (JSON.parse(text) as T);
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms) / 1000;
}

export interface ViewOptions {
  readonly includeLogs: boolean;
  readonly includeMetrics: boolean;
  /** Adds `timeline`: one span per node run attempt (loop iterations and retries apart). */
  readonly includeTimeline?: boolean;
}

/** A running execution keeps its progress in the checkpoint; a finished one in its own columns. */
function progressOf(row: ExecutionRow): { node_states: Record<string, NodeState>; execution_path: string[] } {
  if (row.checkpoint !== null) {
    const checkpoint = JSON.parse(row.checkpoint) as {
      node_states: Record<string, NodeState>;
      execution_path: string[];
    };
    return { node_states: checkpoint.node_states, execution_path: checkpoint.execution_path };
  }
  return { node_states: parse(row.node_states, {}), execution_path: parse(row.execution_path, []) };
}

function slimStates(
  states: Record<string, NodeState>,
  includeLogs: boolean,
): Record<string, NodeState> | Record<string, SlimNodeState> {
  if (includeLogs) return states;
  const slim: Record<string, SlimNodeState> = {};
  for (const [id, state] of Object.entries(states)) {
    const { logs: _logs, input_data: _input, output_data: _output, ...rest } = state;
    slim[id] = rest;
  }
  return slim;
}

export function executionView(row: ExecutionRow, options: ViewOptions) {
  const progress = progressOf(row);
  const view: Record<string, unknown> = {
    execution_id: row.execution_id,
    workflow_id: row.workflow_id,
    workflow_version: row.workflow_version,
    status: row.status,
    trigger_source: row.trigger_source,
    test_mode: row.test_mode === 1,
    queued_at: row.queued_at,
    start_time: row.start_time,
    end_time: row.end_time,
    cancelled_at: row.cancelled_at,
    execution_time_seconds: seconds(row.execution_time_ms),
    execution_path: progress.execution_path,
    node_states: slimStates(progress.node_states, options.includeLogs),
    final_variables: parse<Record<string, unknown>>(row.final_variables, {}),
    final_output: parse<Record<string, unknown>>(row.final_output, {}),
    outbox: parse<unknown[]>(row.outbox, []),
    error_message: row.error_message,
    error_node_id: row.error_node_id,
    parent_execution_id: row.parent_execution_id ?? null,
    parent_node_id: row.parent_node_id ?? null,
    rerun_of: row.rerun_of ?? null,
  };
  if (options.includeMetrics) view.metrics = metricsOf(row);
  if (options.includeTimeline) view.timeline = timelineOf(row);
  return view;
}

/** Finished runs keep their spans with the metrics; a running one has none stored yet. */
export function timelineOf(row: ExecutionRow) {
  const stored = parse<StoredMetrics | null>(row.metrics, null);
  return { spans: stored?.timeline ?? [], dropped: stored?.timeline_dropped ?? 0 };
}

export function metricsOf(row: ExecutionRow) {
  const stored = parse<StoredMetrics | null>(row.metrics, null);
  const queueWait =
    row.start_time === null ? null : Math.max(0, Date.parse(row.start_time) - Date.parse(row.queued_at));
  return {
    queue_wait_ms: queueWait,
    total_duration_ms: row.execution_time_ms,
    node_durations_ms: stored?.node_durations_ms ?? {},
    nodes_executed: row.nodes_executed,
    nodes_failed: row.nodes_failed,
    nodes_skipped: stored?.nodes_skipped ?? 0,
    retries: stored?.retries ?? 0,
  };
}

export function executionSummary(row: ExecutionSummaryRow) {
  return {
    execution_id: row.execution_id,
    workflow_id: row.workflow_id,
    status: row.status,
    trigger_source: row.trigger_source,
    test_mode: row.test_mode === 1,
    start_time: row.start_time,
    end_time: row.end_time,
    execution_time_seconds: seconds(row.execution_time_ms),
    nodes_executed: row.nodes_executed,
    success: row.status === 'completed',
    error: row.error_message,
  };
}

/** A finished run told as node events, one per node in run order, then the final one. */
export function recordedEvents(row: ExecutionRow): ExecutionEvent[] {
  const { node_states, execution_path } = progressOf(row);
  const events: ExecutionEvent[] = [];
  for (const nodeId of new Set(execution_path)) {
    const state = node_states[nodeId];
    if (!state) continue;
    events.push({
      execution_id: row.execution_id,
      node_id: nodeId,
      status: state.status,
      at: state.completed_at ?? state.started_at ?? row.updated_at,
      output: state.output_data,
      final: false,
    });
  }
  events.push({
    execution_id: row.execution_id,
    node_id: null,
    status: row.status,
    at: row.end_time ?? row.updated_at,
    output: parse<Record<string, unknown>>(row.final_output, {}),
    final: true,
  });
  return events;
}
