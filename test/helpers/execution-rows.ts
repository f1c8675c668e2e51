/**
 * @module test/helpers/execution-rows
 * Ended execution rows written straight to the store, for history-sized tables (retention's
 * 100,000 rows) that would take minutes to make through the API.
 */
import { randomUUID } from 'node:crypto';
import type { Db, NewExecutionRow } from '../../src/store/database.ts';

/** A completed run of `workflowId` queued at `queuedAt`; `testMode` 1 makes it a `/test` run. */
export function endedRunRow(workflowId: string, entityId: number, queuedAt: string, testMode: 0 | 1): NewExecutionRow {
  return {
    execution_id: randomUUID(),
    workflow_id: workflowId,
    workflow_version: 1,
    status: 'completed',
    trigger_source: testMode ? 'test' : 'api',
    trigger_node_ids: null,
    request: '{"trigger_data":{},"variables":{}}',
    metadata: '{}',
    test_mode: testMode,
    entity_id: entityId,
    community_id: null,
    created_by: 'owner',
    queued_at: queuedAt,
    start_time: queuedAt,
    end_time: queuedAt,
    cancelled_at: null,
    execution_time_ms: 3,
    final_variables: '{}',
    final_output: '{}',
    error_message: null,
    error_node_id: null,
    checkpoint: null,
    metrics: null,
    updated_at: queuedAt,
  };
}

/** Inserts `rows` in one transaction, 500 a statement. */
export async function insertRows(db: Db, rows: readonly NewExecutionRow[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('executions')
        .values(rows.slice(i, i + 500))
        .execute();
  });
}
