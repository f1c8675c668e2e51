/**
 * @module services/executions
 * Execution use cases shared by REST, gRPC, webhooks, events and schedules: start (stored
 * `queued` before any answer), execute with optional wait, read, list, cancel, test, and watch.
 * Running is the runner's job (services/execution-runner.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { PermissionFlag, Principal } from '../core/permissions.ts';
import type { WorkflowDefinition } from '../core/workflow.ts';
import { testSummary, testTrace } from '../engine/index.ts';
import { AppError, notFoundError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { getNodeType } from '../nodes/registry.ts';
import type { CancelBus } from '../queue/cancel-bus.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { newExecutionRow } from '../store/execution-row.ts';
import {
  deleteExecution,
  type ExecutionListFilter,
  findExecution,
  findExecutionStatus,
  findExecutionWorkflowId,
  findUnfinishedChildren,
  insertExecution,
  listExecutions,
  requestCancel,
} from '../store/executions-repository.ts';
import { type PageRequest, paginationOf } from '../store/pagination.ts';
import { createProgressWriter } from '../store/progress-writer.ts';
import { createSnapshotCache } from '../store/snapshot-cache.ts';
import {
  findWorkflow,
  findWorkflowHead,
  type WorkflowHead,
  type WorkflowRecord,
} from '../store/workflows-repository.ts';
import { type AuthorizedWorkflow, authorizeWorkflow } from './access.ts';
import { testTriggerData } from './dispatch-event.ts';
import type { EventRelay } from './event-relay.ts';
import { checkVariablesSize, type ExecuteInput, type TestInput } from './execute-request.ts';
import {
  createExecutionRunner,
  type ExecutionRunner,
  type ExecutionRunnerDeps,
  type RunEnd,
  type StoredRequest,
} from './execution-runner.ts';
import {
  type ActiveWorkflow,
  type ExecutionEvent,
  type ExecutionStatus,
  type PreparedExecution,
  type StartExecutionInput,
  type StartedExecution,
  TERMINAL_STATUSES,
} from './execution-types.ts';
import { executionSummary, executionView, type ViewOptions } from './execution-view.ts';
import { createExecutionWatching } from './execution-watching.ts';
import { createSubWorkflowPort } from './sub-workflows.ts';
import { createWatchLimits } from './watch-limits.ts';
import type { Actor, WorkflowService } from './workflows.ts';

export interface ExecutionServiceDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly metrics: Metrics;
  readonly workflows: WorkflowService;
  readonly background: boolean;
  /** Opens the credentials a run refers to. */
  readonly credentialsFor?: ExecutionRunnerDeps['credentialsFor'];
  /** How run events reach watchers: in this process, or across processes (Redis). */
  readonly events: EventRelay;
  /** How a cancel reaches the process running the execution (this one, or any worker through Redis). */
  readonly cancels: CancelBus;
}

const DEFAULT_WAIT_SECONDS = 30;
/** Shared queue: how long a cancel waits for the run to stop where it runs before answering. */
const CANCEL_SETTLE_MS = 2000;

function isTrigger(nodeType: string | undefined): boolean {
  return nodeType !== undefined && getNodeType(nodeType)?.category === 'trigger';
}

function checkTriggerNodes(definition: WorkflowDefinition, ids: readonly string[] | undefined): void {
  for (const id of ids ?? []) {
    if (!isTrigger(definition.nodes[id]?.node_type)) {
      throw new AppError('BAD_REQUEST', `trigger_node_id "${id}" is not a trigger node of this workflow`);
    }
  }
}

export function createExecutionService(deps: ExecutionServiceDeps) {
  const { db, config, logger } = deps;
  const { events } = deps;
  const snapshots = createSnapshotCache(db);
  const publishedDefinition = snapshots.get;
  const writes = createProgressWriter(db);
  const runner: ExecutionRunner = createExecutionRunner({
    writes,
    config,
    logger,
    db,
    metrics: deps.metrics,
    events,
    cancels: deps.cancels,
    credentialsFor: deps.credentialsFor,
    subWorkflows: (parent) =>
      createSubWorkflowPort(
        {
          db,
          maxDepth: config.maxWorkflowDepth,
          prepare: (input) => prepare(db, input),
          runNow: (executionId) => runner.runNow(executionId),
          cancel: (executionId) => cancelQuietly(executionId),
        },
        parent,
      ),
    afterEnd: (row, end, definition) => {
      startErrorWorkflow(row, end, definition).catch((error: unknown) =>
        logger.warn({ err: error, execution_id: row.execution_id }, 'starting the error workflow failed'),
      );
    },
    definitionOf: async (row) => {
      const request = JSON.parse(row.request) as StoredRequest;
      if (request.definition) return request.definition;
      return publishedDefinition(row.workflow_id, row.workflow_version ?? 0);
    },
    maxParallelOf: async (workflowId, version) =>
      (await publishedDefinition(workflowId, version)).settings.max_parallel_executions,
  });

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
    const definition = await publishedDefinition(workflow.workflow_id, version, trx);
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
    return { started, dispatch: () => runner.enqueue(stored, maxParallel) };
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

  async function authorizeExecution(
    principal: Principal,
    executionId: string,
    needed: PermissionFlag,
  ): Promise<AuthorizedWorkflow> {
    const workflowId = await findExecutionWorkflowId(db, executionId);
    if (!workflowId) throw notFoundError('EXECUTION_NOT_FOUND');
    return authorizeWorkflow(db, principal, workflowId, needed, 'EXECUTION_NOT_FOUND');
  }

  async function row(executionId: string): Promise<ExecutionRow> {
    const found = await findExecution(db, executionId);
    if (!found) throw notFoundError('EXECUTION_NOT_FOUND');
    return found;
  }

  /** Cancels a run and, after it, the sub-workflow runs it started that are still going. */
  async function cancelOne(executionId: string) {
    const current = await row(executionId);
    if (TERMINAL_STATUSES.has(current.status as ExecutionStatus)) {
      throw new AppError('EXECUTION_NOT_CANCELLABLE', `Execution is already ${current.status}`, {
        status: current.status,
      });
    }
    const at = new Date().toISOString();
    await requestCancel(db, executionId, at);
    const abortedHere = runner.cancel(executionId);
    if (!abortedHere && runner.shared) await cancelShared(executionId, at);
    // Not running in this process (queued, or left by a crash): end it here.
    else if (!abortedHere) await runner.endUnstarted(executionId, at);
    for (const child of await findUnfinishedChildren(db, executionId)) await cancelQuietly(child);
    const after = await row(executionId);
    return { execution_id: executionId, status: 'cancelled', cancelled_at: after.cancelled_at ?? at };
  }

  async function cancelQuietly(executionId: string): Promise<void> {
    try {
      await cancelOne(executionId);
    } catch (error) {
      if (!(error instanceof AppError)) logger.warn({ err: error, execution_id: executionId }, 'cancel failed');
    }
  }

  const watching = createExecutionWatching({ db, events, row });
  const { waitForEnd } = watching;
  const watchLimits = createWatchLimits(config.maxWatchersPerExecution, config.maxWatchersPerCaller);

  /**
   * Shared queue, run not in this process. A row still queued now stays so (no claim succeeds
   * once `cancel_requested` is set): end it here. A running one is aborted where it runs; answer
   * once it stopped, or after a moment when its worker is gone (the job's next delivery ends it).
   */
  async function cancelShared(executionId: string, at: string): Promise<void> {
    const status = await findExecutionStatus(db, executionId);
    // Only while still queued: once claimed, only its lease holder may end it.
    if (status === 'queued' && (await runner.endUnstarted(executionId, at, true))) return;
    if (status !== 'running' && status !== 'queued') return;
    await runner.cancelEverywhere(executionId);
    await waitForEnd(executionId, CANCEL_SETTLE_MS).catch(() => undefined);
  }

  return {
    start: (input: StartExecutionInput, known?: ActiveWorkflow) =>
      start(input, known ? { ...known, status: 'active' } : undefined),
    prepare: (trx: Db, input: StartExecutionInput) => prepare(trx, input),
    authorizeExecution,

    /** A live watch, within the per-execution and per-caller watcher limits (429 beyond). */
    async watch(executionId: string, listener: (event: ExecutionEvent) => void, callerId = '') {
      const release = watchLimits.acquire(executionId, callerId);
      try {
        const stop = await watching.watch(executionId, listener);
        return () => {
          release();
          stop();
        };
      } catch (error) {
        release();
        throw error;
      }
    },

    /** Execute for API/gRPC: 202-style answer, or the finished execution when asked to wait. */
    async execute(actor: Actor, workflow: WorkflowRecord, input: ExecuteInput, source: 'api' | 'grpc' = 'api') {
      checkVariablesSize(input.variables, config.variablesLimitBytes);
      const started = await start(
        {
          workflowId: workflow.workflow_id,
          triggerSource: source,
          triggerNodeIds: input.trigger_node_id ? [input.trigger_node_id] : undefined,
          triggerData: {},
          variables: input.variables,
          metadata: input.metadata,
          actorId: actor.principal.userId,
        },
        workflow,
      );
      if (!input.wait_for_completion) return { waited: false as const, started };
      const timeoutMs = (input.timeout_seconds ?? DEFAULT_WAIT_SECONDS) * 1000;
      const finished = await waitForEnd(started.execution_id, timeoutMs);
      if (!finished) {
        throw new AppError('EXECUTION_TIMEOUT', `Execution did not finish within ${timeoutMs / 1000} s`, {
          execution_id: started.execution_id,
        });
      }
      return {
        waited: true as const,
        execution: executionView(finished, { includeLogs: true, includeMetrics: false }),
      };
    },

    async get(executionId: string, options: ViewOptions) {
      return executionView(await row(executionId), options);
    },

    async list(workflow: WorkflowRecord, filter: Omit<ExecutionListFilter, 'workflowId'>, page: PageRequest) {
      const { rows, total } = await listExecutions(db, { ...filter, workflowId: workflow.workflow_id }, page);
      return { rows: rows.map(executionSummary), pagination: paginationOf(page, total) };
    },

    async cancel(_actor: Actor, executionId: string) {
      return cancelOne(executionId);
    },

    /** Runs the working definition now, in test mode, and answers trace and summary. */
    async test(actor: Actor, workflow: WorkflowRecord, input: TestInput) {
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
      checkVariablesSize(input.variables, config.variablesLimitBytes);
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
        db,
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
      const result = await runner.runTest(executionId, workflow.entity_id);
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
    },

    /** A new run of the latest published version with the original's trigger data and variables. */
    async rerun(actor: Actor, workflow: WorkflowRecord, executionId: string) {
      const original = await row(executionId);
      const request = JSON.parse(original.request) as StoredRequest;
      const source = original.trigger_source === 'test' ? 'api' : original.trigger_source;
      return start(
        {
          workflowId: workflow.workflow_id,
          triggerSource: source as StartExecutionInput['triggerSource'],
          triggerNodeIds: original.trigger_node_ids ? JSON.parse(original.trigger_node_ids) : undefined,
          triggerData: request.trigger_data,
          ...(request.trigger_variable !== undefined ? { triggerVariable: request.trigger_variable } : {}),
          variables: request.variables,
          metadata: JSON.parse(original.metadata),
          actorId: actor.principal.userId,
          rerunOf: executionId,
        },
        workflow,
      );
    },

    /** Deletes a finished execution's record. */
    async remove(executionId: string): Promise<void> {
      const current = await row(executionId);
      if (!TERMINAL_STATUSES.has(current.status as ExecutionStatus)) {
        throw new AppError('BAD_REQUEST', `Execution is ${current.status}; cancel it before deleting it`, {
          status: current.status,
        });
      }
      await deleteExecution(db, executionId);
    },

    /** Ends every wait and watch of this process (before the HTTP server drains). */
    interruptWatchers: () => events.shutdown(new Date().toISOString()),
    /** Queues what a previous process left unfinished, then runs the queue. */
    startWorkers: () => runner.start(),
    queueStatus: () => runner.queueStatus(),
    stopWorkers: (graceMs: number) => runner.stop(graceMs),
    runner,
  };
}

export type ExecutionService = ReturnType<typeof createExecutionService>;
