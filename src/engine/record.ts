/**
 * @module engine/record
 * What a run records: one aggregated state per node (a node run 10,000 times in a loop keeps one
 * record with `runs`, the latest input/output and a bounded log), the execution path, counters,
 * durations and the outbox. Stored input/output go through capValue.
 */
import { redactUrlsIn } from '../core/secrets.ts';
import { capValue } from './cap-value.ts';
import type { ExecutionPlan } from './plan.ts';
import type { SpanLog } from './spans.ts';
import type { ExecutionCounters, NodeState, OutboxEntry } from './types.ts';

export const MAX_LOG_LINES = 100;
export const MAX_LOG_LINE_CHARS = 2000;

export interface Recording extends SpanLog {
  readonly states: Record<string, NodeState>;
  readonly path: string[];
  readonly counters: ExecutionCounters;
  readonly durations: Record<string, number>;
  readonly outbox: OutboxEntry[];
  /** Node runs started, for MAX_TOTAL_OPERATIONS. */
  operations: number;
  finalOutput: Record<string, unknown> | null;
  readonly maxStoredBytes: number;
}

function pendingState(id: string, type: string): NodeState {
  return {
    node_id: id,
    node_type: type,
    status: 'pending',
    started_at: null,
    completed_at: null,
    input_data: null,
    output_data: null,
    logs: [],
    error: null,
    attempts: 0,
  };
}

export function createRecording(plan: ExecutionPlan, maxStoredBytes: number): Recording {
  const states: Record<string, NodeState> = {};
  const durations: Record<string, number> = {};
  for (const node of plan.ordered) {
    states[node.id] = pendingState(node.id, node.node.node_type);
    durations[node.id] = 0;
  }
  return {
    states,
    path: [],
    counters: { nodes_executed: 0, nodes_failed: 0, nodes_skipped: 0, retries: 0 },
    durations,
    outbox: [],
    operations: 0,
    finalOutput: null,
    maxStoredBytes,
    spans: [],
    spansDropped: 0,
  };
}

export function runCount(state: NodeState): number {
  return state.runs ?? (state.status === 'pending' || state.status === 'skipped' ? 0 : 1);
}

/** Starts a run: status running, input stored, run counted. */
export function beginRun(rec: Recording, nodeId: string, input: unknown, at: string): NodeState {
  const state = rec.states[nodeId];
  const runs = runCount(state) + 1;
  if (runs > 1) state.runs = runs;
  if (state.started_at === null) state.started_at = at;
  state.status = 'running';
  state.input_data = capValue(input, rec.maxStoredBytes);
  state.error = null;
  state.attempts = 1;
  rec.operations++;
  rec.path.push(nodeId);
  return state;
}

export function appendLog(state: NodeState, raw: string): void {
  // Viewers read logs: URLs lose their credentials here, whichever node wrote them.
  const message = redactUrlsIn(raw);
  const line = message.length > MAX_LOG_LINE_CHARS ? `${message.slice(0, MAX_LOG_LINE_CHARS)}…` : message;
  const logs = state.logs;
  logs.push(state.runs ? `[run ${state.runs}] ${line}` : line);
  if (logs.length > MAX_LOG_LINES) {
    // The first line becomes a counter of what was dropped so the log stays bounded in loops.
    const head = /^… (\d+) earlier log lines dropped$/.exec(logs[0]);
    const dropped = head ? Number(head[1]) + 2 : 2;
    logs.splice(0, 2, `… ${dropped} earlier log lines dropped`);
  }
}

export function completeRun(rec: Recording, state: NodeState, output: unknown, at: string, durationMs: number): void {
  state.status = 'completed';
  state.completed_at = at;
  state.output_data = capValue(output, rec.maxStoredBytes);
  rec.counters.nodes_executed++;
  rec.durations[state.node_id] += durationMs;
}

export function failRun(rec: Recording, state: NodeState, message: string, at: string, durationMs: number): void {
  state.status = 'failed';
  state.completed_at = at;
  state.error = message;
  state.output_data = null;
  rec.counters.nodes_failed++;
  rec.durations[state.node_id] += durationMs;
}

/** Marks a node that never ran as skipped; a node that ran keeps its status. */
export function markSkipped(state: NodeState): boolean {
  if (state.status !== 'pending') return false;
  state.status = 'skipped';
  return true;
}

/**
 * End of run: untouched nodes count as skipped when the run completed or was cancelled (they were
 * not reached, or will not be); after a failure they stay pending. Nodes still `running` were cut
 * off: `cancelled` by a cancel, else `failed` (and counted so).
 */
export function finalizeStates(
  rec: Recording,
  status: 'completed' | 'failed' | 'cancelled',
  cutOffMessage: string | null,
  at: string,
): void {
  let skipped = 0;
  for (const id in rec.states) {
    const state = rec.states[id];
    if (status !== 'failed' && state.status === 'pending') state.status = 'skipped';
    if (state.status === 'running') {
      state.status = status === 'cancelled' ? 'cancelled' : 'failed';
      state.completed_at = at;
      state.error = cutOffMessage ?? 'interrupted';
      // A cancelled node ran (it is in the path) until the cancel: it counts as executed.
      if (state.status === 'failed') rec.counters.nodes_failed++;
      else rec.counters.nodes_executed++;
    }
    if (state.status === 'skipped') skipped++;
  }
  rec.counters.nodes_skipped = skipped;
}
