/**
 * @module services/sub-workflows
 * The port behind action_workflow: starts a run of another workflow of the same entity, its
 * latest published version, recording the parent run and node and one more level of depth.
 * `wait` runs the child here and now (a parent waiting on a queue slot its own child needs
 * could deadlock the queue); otherwise the child is queued. Aborting the caller cancels the child.
 */
import { NodeError, type SubWorkflowCall, type SubWorkflowOutcome, type SubWorkflowPort } from '../nodes/node-type.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { findExecution } from '../store/executions-repository.ts';
import { findWorkflowHead } from '../store/workflows-repository.ts';
import type { PreparedExecution, StartExecutionInput } from './execution-types.ts';

export interface SubWorkflowDeps {
  readonly db: Db;
  readonly maxDepth: number;
  prepare(input: StartExecutionInput): Promise<PreparedExecution>;
  /** Runs a stored execution in this process now; resolves when it ended. */
  runNow(executionId: string): Promise<unknown>;
  /** Cancels a run wherever it is; never throws. */
  cancel(executionId: string): Promise<void>;
}

export function createSubWorkflowPort(deps: SubWorkflowDeps, parent: ExecutionRow): SubWorkflowPort {
  async function outcomeOf(executionId: string): Promise<SubWorkflowOutcome> {
    const row = await findExecution(deps.db, executionId);
    return {
      execution_id: executionId,
      status: row?.status ?? 'failed',
      final_output: row?.final_output ? (JSON.parse(row.final_output) as Record<string, unknown>) : null,
      error_message: row?.error_message ?? null,
    };
  }

  async function waitFor(executionId: string, call: SubWorkflowCall): Promise<SubWorkflowOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => void deps.cancel(executionId);
    call.signal.addEventListener('abort', stop, { once: true });
    try {
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), call.timeoutMs);
      });
      const ended = await Promise.race([deps.runNow(executionId).then(() => 'ended' as const), timedOut]);
      if (ended === 'timeout') {
        await deps.cancel(executionId);
        throw new NodeError(`sub-workflow did not finish within ${call.timeoutMs / 1000} s`, 'TIMEOUT');
      }
      return await outcomeOf(executionId);
    } finally {
      clearTimeout(timer);
      call.signal.removeEventListener('abort', stop);
    }
  }

  return {
    async run(call) {
      const depth = parent.depth + 1;
      if (depth > deps.maxDepth) {
        throw new NodeError(
          `MAX_WORKFLOW_DEPTH (${deps.maxDepth}) exceeded: sub-workflow calls are nested more than ${deps.maxDepth} deep (a cycle of calls ends here too)`,
          'MAX_WORKFLOW_DEPTH',
        );
      }
      const target = await findWorkflowHead(deps.db, call.workflowId);
      // Another entity's workflow is reported as missing: ids cannot be probed across tenants.
      if (!target || target.entity_id !== parent.entity_id || target.status === 'archived') {
        throw new NodeError(`workflow ${call.workflowId} does not exist in this entity`, 'WORKFLOW_NOT_FOUND');
      }
      if (target.published_version === null) {
        throw new NodeError(`workflow ${call.workflowId} has never been published`, 'WORKFLOW_NOT_ACTIVE');
      }
      const prepared = await deps.prepare({
        workflowId: call.workflowId,
        triggerSource: 'workflow',
        triggerData: {},
        variables: call.variables,
        actorId: parent.created_by,
        parent: { executionId: parent.execution_id, nodeId: call.nodeId, depth },
        testMode: parent.test_mode === 1,
      });
      const childId = prepared.started.execution_id;
      if (!call.wait) {
        prepared.dispatch();
        return { execution_id: childId, status: 'queued', final_output: null, error_message: null };
      }
      return waitFor(childId, call);
    },
  };
}
