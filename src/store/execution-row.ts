/**
 * @module store/execution-row
 * The row of a new execution, `queued`, as every way of starting one stores it (a published run,
 * a sub-workflow call, a rerun, a test run): the caller names what the run is, the rest is what
 * a run that has not started holds.
 */
import type { ExecutionRow } from './database.ts';

export type NewRunFields = Pick<
  ExecutionRow,
  | 'execution_id'
  | 'workflow_id'
  | 'workflow_version'
  | 'trigger_source'
  | 'trigger_node_ids'
  | 'request'
  | 'metadata'
  | 'test_mode'
  | 'entity_id'
  | 'community_id'
  | 'created_by'
> &
  Partial<Pick<ExecutionRow, 'parent_execution_id' | 'parent_node_id' | 'parent_call_key' | 'depth' | 'rerun_of'>>;

/** `at`: when it was queued. */
export function newExecutionRow(fields: NewRunFields, at: string): ExecutionRow {
  return {
    parent_execution_id: null,
    parent_node_id: null,
    parent_call_key: null,
    depth: 0,
    rerun_of: null,
    ...fields,
    status: 'queued',
    queued_at: at,
    updated_at: at,
    start_time: null,
    end_time: null,
    cancelled_at: null,
    cancel_requested: 0,
    execution_time_ms: null,
    execution_path: '[]',
    node_states: '{}',
    final_variables: null,
    final_output: null,
    outbox: '[]',
    error_message: null,
    error_node_id: null,
    checkpoint: null,
    metrics: null,
    nodes_executed: 0,
    nodes_failed: 0,
    resume_attempts: 0,
    lease_epoch: 0,
  };
}
