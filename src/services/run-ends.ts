/**
 * @module services/run-ends
 * How a run ends, whichever way: with the engine's result under its lease, without running
 * (cancelled before it started, or failed to start), or cancelled while it runs nowhere. Each is
 * stored, counted and told to its watchers by the same code, once.
 */
import type { WorkflowDefinition } from '../core/workflow.ts';
import type { ExecutionResult } from '../engine/index.ts';
import type { Metrics } from '../metrics.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { finishExecution } from '../store/executions-repository.ts';
import type { ProgressWriter } from '../store/progress-writer.ts';
import type { EventRelay } from './event-relay.ts';
import type { ExecutionRunnerDeps, RunEnd } from './runner-types.ts';

/**
 * A run whose work was started this many times with no clean stop in between was in flight during
 * that many process deaths in a row: it is ended instead of resumed again (PRODUCT.md §5).
 */
export const MAX_CRASHED_STARTS = 3;
export const REPEATED_CRASHES_MESSAGE = `Execution stopped after repeated crashes: it was in flight during ${MAX_CRASHED_STARTS} process deaths in a row, so it is not resumed again`;

export const ABANDONED_TEST_MESSAGE = 'The test run was interrupted by a restart; test runs are not resumed';

export interface RunEndsDeps {
  readonly db: Db;
  readonly progress: ProgressWriter;
  readonly metrics: Metrics;
  readonly events: EventRelay;
  readonly afterEnd?: ExecutionRunnerDeps['afterEnd'];
}

export function createRunEnds(deps: RunEndsDeps) {
  const { db, progress, metrics, events, afterEnd } = deps;

  /** Writes the end under the run's lease; false (nothing written, nothing told) when it moved on. */
  async function finish(
    row: ExecutionRow,
    epoch: number,
    result: ExecutionResult,
    definition: WorkflowDefinition,
  ): Promise<boolean> {
    const at = result.completed_at;
    const changes = {
      status: result.status,
      end_time: at,
      updated_at: at,
      execution_time_ms: result.duration_ms,
      execution_path: JSON.stringify(result.execution_path),
      node_states: JSON.stringify(result.node_states),
      final_variables: JSON.stringify(result.final_variables),
      final_output: JSON.stringify(result.final_output ?? {}),
      outbox: JSON.stringify(result.outbox),
      error_message: result.error_message,
      error_node_id: result.error_node_id,
      checkpoint: null,
      metrics: JSON.stringify({
        node_durations_ms: result.node_durations_ms,
        nodes_skipped: result.counters.nodes_skipped,
        retries: result.counters.retries,
        timeline: result.timeline,
        timeline_dropped: result.timeline_dropped,
      }),
      nodes_executed: result.counters.nodes_executed,
      nodes_failed: result.counters.nodes_failed,
      ...(result.status === 'cancelled' ? { cancelled_at: row.cancelled_at ?? at } : {}),
    };
    // In the same group commit as progress, so no earlier checkpoint can land after the end.
    const end = { status: result.status, at, output: result.final_output ?? {} };
    if (!(await ended(row.execution_id, end, progress.write(row.execution_id, epoch, changes)))) return false;
    afterEnd?.(row, result, definition);
    return true;
  }

  /**
   * Every end of a run goes through here, once `stored` says whether the end was written (false:
   * the run moved on, and nothing is counted or told): counted, and told to its watchers as the
   * final event.
   */
  async function ended(
    executionId: string,
    end: { readonly status: RunEnd['status']; readonly at: string; readonly output: unknown },
    stored: Promise<boolean>,
  ): Promise<boolean> {
    if (!(await stored)) return false;
    metrics.executions.inc({ status: end.status });
    events.publish({ execution_id: executionId, node_id: null, ...end, final: true });
    return true;
  }

  function endUnstarted(executionId: string, at: string, onlyQueued = false): Promise<boolean> {
    const changes = { status: 'cancelled' as const, end_time: at, cancelled_at: at, updated_at: at };
    const stored = finishExecution(db, executionId, changes, onlyQueued);
    return ended(executionId, { status: 'cancelled', at, output: {} }, stored);
  }

  /** `epoch`: the lease this process holds; undefined for a queued row nobody claimed. */
  async function endWithoutRunning(
    row: ExecutionRow,
    epoch: number | undefined,
    status: 'cancelled' | 'failed',
    message: string | null,
    definition?: WorkflowDefinition,
  ) {
    const at = new Date().toISOString();
    const changes = {
      status,
      end_time: at,
      updated_at: at,
      error_message: message,
      ...(status === 'cancelled' ? { cancelled_at: row.cancelled_at ?? at } : {}),
    };
    const stored =
      epoch === undefined
        ? finishExecution(db, row.execution_id, changes, true)
        : progress.write(row.execution_id, epoch, changes);
    if (!(await ended(row.execution_id, { status, at, output: {} }, stored))) return;
    afterEnd?.(row, { status, error_message: message, error_node_id: null }, definition);
  }

  return { finish, endUnstarted, endWithoutRunning };
}
