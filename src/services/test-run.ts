/**
 * @module services/test-run
 * A test run (PRODUCT.md §5): the working definition, not a published version, run now in test
 * mode (mocks, no deliveries) within the process and entity caps, ahead of queued runs; the
 * answer is its trace and summary.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowDefinition } from '../core/workflow.ts';
import { testSummary, testTrace } from '../engine/index.ts';
import { AppError, notFoundError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { newExecutionRow } from '../store/execution-row.ts';
import { insertExecution } from '../store/executions-repository.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';
import type { Actor } from './audit-trail.ts';
import { testTriggerData } from './dispatch-event.ts';
import { checkVariablesSize, type TestInput } from './execute-request.ts';
import { checkTriggerNodes } from './execution-start.ts';
import type { ExecutionRunner, StoredRequest } from './runner-types.ts';

export interface TestRunDeps {
  readonly db: Db;
  readonly runner: Pick<ExecutionRunner, 'runTest'>;
  readonly variablesLimitBytes: number;
}

/** Runs the working definition now, in test mode, and answers trace and summary. */
export async function runTest(deps: TestRunDeps, actor: Actor, workflow: WorkflowRecord, input: TestInput) {
  // Like execute: an archived workflow is gone (PRODUCT.md §5).
  if (workflow.status === 'archived') throw notFoundError('WORKFLOW_NOT_FOUND');
  for (const [field, mocks] of [
    ['mock_outputs', input.mock_outputs],
    ['mock_errors', input.mock_errors],
  ] as const) {
    const unknownMocks = Object.keys(mocks ?? {}).filter((id) => !Object.hasOwn(workflow.nodes, id));
    if (unknownMocks.length > 0) {
      throw new AppError(
        'BAD_REQUEST',
        `${field} names nodes this workflow does not have: ${unknownMocks.join(', ')}`,
        {
          unknown_nodes: unknownMocks,
        },
      );
    }
  }
  checkVariablesSize(input.variables, deps.variablesLimitBytes);
  const definition: WorkflowDefinition = {
    nodes: workflow.nodes,
    connections: workflow.connections,
    global_variables: workflow.global_variables,
    settings: workflow.settings,
  };
  checkTriggerNodes(definition, input.trigger_node_id ? [input.trigger_node_id] : undefined);
  const executionId = randomUUID();
  const at = new Date().toISOString();
  const request: StoredRequest = {
    trigger_data: testTriggerData(input.trigger_data ?? {}, actor.principal.userId),
    variables: input.variables ?? {},
    mock_outputs: input.mock_outputs ?? {},
    mock_errors: input.mock_errors ?? {},
    definition,
  };
  await insertExecution(
    deps.db,
    newExecutionRow(
      {
        execution_id: executionId,
        workflow_id: workflow.workflow_id,
        workflow_version: null,
        trigger_source: 'test',
        trigger_node_ids: input.trigger_node_id ? JSON.stringify([input.trigger_node_id]) : null,
        request: JSON.stringify(request),
        metadata: JSON.stringify(input.metadata ?? {}),
        test_mode: 1,
        entity_id: workflow.entity_id,
        community_id: workflow.community_id,
        created_by: actor.principal.userId,
      },
      at,
    ),
  );
  // Within the process and entity caps like every run (PRODUCT.md §5), ahead of queued runs.
  const result = await deps.runner.runTest(executionId, workflow.entity_id);
  if (!result) throw new AppError('INTERNAL_ERROR', 'The test run did not complete', { execution_id: executionId });
  return {
    execution_id: executionId,
    workflow_id: workflow.workflow_id,
    test_mode: true,
    status: result.status,
    execution_time_seconds: result.duration_ms / 1000,
    trace: testTrace(result),
    final_variables: result.final_variables,
    final_output: result.final_output ?? {},
    outbox: result.outbox,
    error_message: result.error_message,
    error_node_id: result.error_node_id,
    summary: testSummary(result),
  };
}
