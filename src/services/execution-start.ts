/**
 * @module services/execution-start
 * Starting a run of a published version: the workflow must be runnable and the named trigger
 * nodes triggers; the `queued` row is stored before any answer carries its id, then handed to
 * the runner. A failed run starts its workflow's error workflow the same way.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowDefinition } from '../core/workflow.ts';
import { AppError, notFoundError } from '../errors.ts';
import { getNodeType } from '../nodes/registry.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { newExecutionRow } from '../store/execution-row.ts';
import { insertExecution } from '../store/executions-repository.ts';
import type { ProgressWriter } from '../store/progress-writer.ts';
import type { SnapshotCache } from '../store/snapshot-cache.ts';
import { findWorkflow, findWorkflowHead, type WorkflowHead } from '../store/workflows-repository.ts';
import type { PreparedExecution, StartExecutionInput, StartedExecution } from './execution-types.ts';
import type { RunEnd, StoredRequest } from './runner-types.ts';

export interface ExecutionStartDeps {
  readonly db: Db;
  readonly writes: ProgressWriter;
  readonly snapshots: SnapshotCache;
  /** Hands a stored `queued` row to the runner; `maxParallel`: its version's cap. */
  enqueue(stored: ExecutionRow, maxParallel: number | undefined): void;
}

function isTrigger(nodeType: string | undefined): boolean {
  return nodeType !== undefined && getNodeType(nodeType)?.category === 'trigger';
}

export function checkTriggerNodes(definition: WorkflowDefinition, ids: readonly string[] | undefined): void {
  for (const id of ids ?? []) {
    if (!isTrigger(definition.nodes[id]?.node_type)) {
      throw new AppError('BAD_REQUEST', `trigger_node_id "${id}" is not a trigger node of this workflow`);
    }
  }
}

export function createExecutionStart(deps: ExecutionStartDeps) {
  const { db, writes, snapshots } = deps;

  function runnableWorkflow(workflow: WorkflowHead | undefined): WorkflowHead {
    if (!workflow || workflow.status === 'archived') {
      throw notFoundError('WORKFLOW_NOT_FOUND');
    }
    if (workflow.published_version === null) {
      throw new AppError('WORKFLOW_NOT_ACTIVE', 'Workflow has never been published; use /test to run a draft', {
        status: workflow.status,
      });
    }
    return workflow;
  }

  /** `loaded`: the workflow as the caller just read it outside any transaction (saves a read). */
  async function prepare(trx: Db, input: StartExecutionInput, loaded?: WorkflowHead): Promise<PreparedExecution> {
    const workflow = runnableWorkflow(loaded ?? (await findWorkflowHead(trx, input.workflowId)));
    const version = workflow.published_version as number;
    const definition = await snapshots.get(workflow.workflow_id, version, trx);
    checkTriggerNodes(definition, input.triggerNodeIds);
    const at = new Date().toISOString();
    const executionId = randomUUID();
    const request: StoredRequest = {
      trigger_data: { ...(input.triggerData ?? {}) },
      ...(input.triggerVariable !== undefined ? { trigger_variable: input.triggerVariable } : {}),
      variables: { ...(input.variables ?? {}) },
    };
    const stored = newExecutionRow(
      {
        execution_id: executionId,
        workflow_id: workflow.workflow_id,
        workflow_version: version,
        trigger_source: input.triggerSource,
        trigger_node_ids: input.triggerNodeIds ? JSON.stringify(input.triggerNodeIds) : null,
        request: JSON.stringify(request),
        metadata: JSON.stringify(input.metadata ?? {}),
        test_mode: input.testMode ? 1 : 0,
        entity_id: workflow.entity_id,
        community_id: workflow.community_id,
        created_by: input.actorId ?? null,
        parent_execution_id: input.parent?.executionId ?? null,
        parent_node_id: input.parent?.nodeId ?? null,
        parent_call_key: input.parent?.callKey ?? null,
        depth: input.parent?.depth ?? 0,
        rerun_of: input.rerunOf ?? null,
      },
      at,
    );
    // Outside a caller's transaction the row joins the next group commit (still stored before
    // any answer carries its id: the caller awaits it).
    if (trx === db) await writes.insert(stored);
    else await insertExecution(trx, stored);
    const started: StartedExecution = {
      execution_id: executionId,
      workflow_id: workflow.workflow_id,
      workflow_version: version,
      status: 'queued',
      queued_at: at,
      start_time: at,
      execution_path: [],
    };
    const maxParallel = definition.settings.max_parallel_executions;
    return { started, dispatch: () => deps.enqueue(stored, maxParallel) };
  }

  /**
   * A run that ended failed starts its workflow's error workflow (same entity), unless it is an
   * error workflow's run itself or a test run.
   */
  async function startErrorWorkflow(row: ExecutionRow, end: RunEnd, definition: WorkflowDefinition | undefined) {
    const errorWorkflowId = definition?.settings.error_workflow_id;
    if (end.status !== 'failed' || !errorWorkflowId || row.trigger_source === 'error' || row.test_mode === 1) return;
    const [target, failed] = await Promise.all([
      findWorkflowHead(db, errorWorkflowId),
      findWorkflow(db, row.workflow_id),
    ]);
    if (!target || target.entity_id !== row.entity_id) return;
    await start({
      workflowId: errorWorkflowId,
      triggerSource: 'error',
      triggerData: {
        execution_id: row.execution_id,
        workflow_id: row.workflow_id,
        workflow_name: failed?.name ?? '',
        error_message: end.error_message,
        error_node_id: end.error_node_id,
        trigger_source: row.trigger_source,
      },
    });
  }

  async function start(input: StartExecutionInput, loaded?: WorkflowHead): Promise<StartedExecution> {
    const prepared = await prepare(db, input, loaded);
    prepared.dispatch();
    return prepared.started;
  }

  return { prepare, start, startErrorWorkflow };
}
