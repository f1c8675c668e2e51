/**
 * @module services/sub-workflows
 * The port behind action_workflow: starts a run of another workflow of the same entity, its
 * latest published version, recording the parent run, the calling node run and one more level of
 * depth. `wait` runs the child here and now (a parent waiting on a queue slot its own child needs
 * could deadlock the queue); otherwise the child is queued. Aborting the caller cancels the child,
 * a shutdown does not (both resume at the next start).
 * One child per node run: a parent resumed after a crash runs the calling node again, and the
 * call finds the child that node run started (by its call key, unique per parent) rather than
 * starting a second one: ended, its outcome; unfinished, it is run here or waited for where it runs.
 */
import { NodeError, type SubWorkflowCall, type SubWorkflowOutcome, type SubWorkflowPort } from '../nodes/node-type.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { findChildOfCall, findExecution } from '../store/executions-repository.ts';
import { findWorkflowHead } from '../store/workflows-repository.ts';
import { isTerminal, type PreparedExecution, type StartExecutionInput } from './execution-types.ts';

export interface SubWorkflowDeps {
  readonly db: Db;
  readonly maxDepth: number;
  /** Stores the child's row outside any batch: a refused insert (a key taken) fails only itself. */
  prepare(input: StartExecutionInput): Promise<PreparedExecution>;
  /** Runs a stored execution in this process now (or joins its run here); resolves when it ended here. */
  runNow(executionId: string): Promise<unknown>;
  /** Resolves once the run ended wherever it runs (undefined after `timeoutMs`, or once `signal` aborts). */
  waitForEnd(executionId: string, timeoutMs: number, signal: AbortSignal): Promise<unknown>;
  /** Cancels a run wherever it is; never throws. */
  cancel(executionId: string): Promise<void>;
}

/** `stopping`: this process is shutting down, so an abort is not a cancel. */
export function createSubWorkflowPort(
  deps: SubWorkflowDeps,
  parent: ExecutionRow,
  stopping: () => boolean = () => false,
): SubWorkflowPort {
  /** Unique across runs: the parent's id and its node run. */
  const keyOf = (call: SubWorkflowCall) => (call.callKey ? `${parent.execution_id}:${call.callKey}` : null);
  const childOf = (call: SubWorkflowCall) => {
    const key = keyOf(call);
    return key ? findChildOfCall(deps.db, key) : undefined;
  };

  async function outcomeOf(executionId: string): Promise<SubWorkflowOutcome> {
    const row = await findExecution(deps.db, executionId);
    return {
      execution_id: executionId,
      status: row?.status ?? 'failed',
      final_output: row?.final_output ? (JSON.parse(row.final_output) as Record<string, unknown>) : null,
      error_message: row?.error_message ?? null,
    };
  }

  /** Here, or (another worker took it, or it ended before) wherever it runs. */
  async function runToEnd(executionId: string, call: SubWorkflowCall): Promise<void> {
    if ((await deps.runNow(executionId)) !== undefined || call.signal.aborted) return;
    await deps.waitForEnd(executionId, call.timeoutMs, call.signal);
  }

  async function waitFor(executionId: string, call: SubWorkflowCall): Promise<SubWorkflowOutcome> {
    let timer: NodeJS.Timeout | undefined;
    let resolveStopped: (value: 'stopped') => void = () => {};
    const stopped = new Promise<'stopped'>((resolve) => {
      resolveStopped = resolve;
    });
    // A cancel of the parent cancels the child; a shutdown leaves it to resume with the parent.
    const stop = () => {
      if (!stopping()) void deps.cancel(executionId);
      resolveStopped('stopped');
    };
    call.signal.addEventListener('abort', stop, { once: true });
    try {
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), call.timeoutMs);
      });
      const run = runToEnd(executionId, call).then(() => 'ended' as const);
      // Past the timeout nobody awaits it: a late failure (a shutdown's) must not go unhandled.
      run.catch(() => undefined);
      const first = await Promise.race([run, timedOut, stopped]);
      if (first === 'stopped' || call.signal.aborted) throw call.signal.reason;
      if (first === 'timeout') {
        await deps.cancel(executionId);
        throw new NodeError(`sub-workflow did not finish within ${call.timeoutMs / 1000} s`, 'TIMEOUT');
      }
      return await outcomeOf(executionId);
    } finally {
      clearTimeout(timer);
      call.signal.removeEventListener('abort', stop);
    }
  }

  /** The child this node run started before (the parent resumed): never a second one. */
  function resumeCall(child: ExecutionRow, call: SubWorkflowCall): Promise<SubWorkflowOutcome> | SubWorkflowOutcome {
    const executionId = child.execution_id;
    if (!call.wait) return { execution_id: executionId, status: child.status, final_output: null, error_message: null };
    return isTerminal(child.status) ? outcomeOf(executionId) : waitFor(executionId, call);
  }

  async function start(call: SubWorkflowCall, depth: number): Promise<SubWorkflowOutcome> {
    const input: StartExecutionInput = {
      workflowId: call.workflowId,
      triggerSource: 'workflow',
      triggerData: {},
      variables: call.variables,
      actorId: parent.created_by,
      parent: { executionId: parent.execution_id, nodeId: call.nodeId, callKey: keyOf(call), depth },
      testMode: parent.test_mode === 1,
    };
    let prepared: PreparedExecution;
    try {
      prepared = await deps.prepare(input);
    } catch (error) {
      // The same node run on another worker (a lease taken over) stored its child first.
      // Its own error counts, not a second one from the look (a database that is down fails both).
      const first = await Promise.resolve(childOf(call)).catch(() => undefined);
      if (first) return resumeCall(first, call);
      throw error;
    }
    const childId = prepared.started.execution_id;
    if (!call.wait) {
      prepared.dispatch();
      return { execution_id: childId, status: 'queued', final_output: null, error_message: null };
    }
    return waitFor(childId, call);
  }

  return {
    async run(call) {
      const before = await childOf(call);
      if (before) return resumeCall(before, call);
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
      return start(call, depth);
    },
  };
}
