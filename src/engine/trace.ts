/**
 * @module engine/trace
 * The `trace` and `summary` of a test run (POST …/test in the API reference), derived from the
 * execution record: one entry per node that ran, in the order each first ran, then the skipped ones.
 */
import type { ExecutionResult, NodeStatus } from './types.ts';

export interface TraceEntry {
  readonly node_id: string;
  readonly status: NodeStatus;
  readonly duration_seconds: number;
  readonly input: unknown;
  readonly output: unknown;
  readonly logs: readonly string[];
  readonly error: string | null;
  readonly runs?: number;
}

export interface TestSummary {
  readonly nodes_executed: number;
  readonly nodes_failed: number;
  readonly nodes_skipped: number;
  readonly total_duration: number;
  readonly passed: boolean;
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

export function testTrace(result: ExecutionResult): TraceEntry[] {
  const order = [...new Set(result.execution_path)];
  for (const [id, state] of Object.entries(result.node_states)) if (state.status === 'skipped') order.push(id);
  return order.map((id) => {
    const state = result.node_states[id];
    return {
      node_id: id,
      status: state.status,
      duration_seconds: seconds(result.node_durations_ms[id] ?? 0),
      input: state.input_data,
      output: state.output_data,
      logs: state.logs,
      error: state.error,
      ...(state.runs ? { runs: state.runs } : {}),
    };
  });
}

export function testSummary(result: ExecutionResult): TestSummary {
  return {
    nodes_executed: result.counters.nodes_executed,
    nodes_failed: result.counters.nodes_failed,
    nodes_skipped: result.counters.nodes_skipped,
    total_duration: seconds(result.duration_ms),
    passed: result.status === 'completed',
  };
}
