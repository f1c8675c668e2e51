/**
 * @module services/executions
 * Execution use cases shared by REST, gRPC, webhooks, events and schedules: start (stored
 * `queued` before any answer; services/execution-start.ts), execute with optional wait, read,
 * list, cancel (execution-cancel.ts), test (test-run.ts), and watch. Running is the runner's job
 * (services/execution-runner.ts).
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { PermissionFlag, Principal } from '../core/permissions.ts';
import { AppError, notFoundError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { CancelBus } from '../queue/cancel-bus.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import {
  deleteExecution,
  type ExecutionListFilter,
  findExecution,
  findExecutionWorkflowId,
  listExecutions,
} from '../store/executions-repository.ts';
import { type PageRequest, paginationOf } from '../store/pagination.ts';
import { createProgressWriter } from '../store/progress-writer.ts';
import { createSnapshotCache } from '../store/snapshot-cache.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';
import { type AuthorizedWorkflow, authorizeWorkflow } from './access.ts';
import type { Actor } from './audit-trail.ts';
import type { EventRelay } from './event-relay.ts';
import { checkVariablesSize, type ExecuteInput, type TestInput } from './execute-request.ts';
import { createExecutionCancel } from './execution-cancel.ts';
import { createExecutionRunner } from './execution-runner.ts';
import { createExecutionStart } from './execution-start.ts';
import { type ActiveWorkflow, type ExecutionEvent, isTerminal, type StartExecutionInput } from './execution-types.ts';
import { executionSummary, executionView, type ViewOptions } from './execution-view.ts';
import { createExecutionWatching } from './execution-watching.ts';
import type { RunDistributionFactory } from './run-distribution.ts';
import type { ExecutionRunner, ExecutionRunnerDeps, StoredRequest } from './runner-types.ts';
import { createSubWorkflowPort } from './sub-workflows.ts';
import { runTest } from './test-run.ts';
import { createWatchLimits } from './watch-limits.ts';
import type { WorkflowService } from './workflows.ts';

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
  /** How runs reach a process that runs them (this one, or any worker through Redis). */
  readonly runs: RunDistributionFactory;
}

const DEFAULT_WAIT_SECONDS = 30;

export function createExecutionService(deps: ExecutionServiceDeps) {
  const { db, config, logger } = deps;
  const { events } = deps;
  const snapshots = createSnapshotCache(db);
  const publishedDefinition = snapshots.get;
  const writes = createProgressWriter(db);
  const { prepare, start, startErrorWorkflow } = createExecutionStart({
    db,
    writes,
    snapshots,
    enqueue: (stored, maxParallel) => runner.enqueue(stored, maxParallel),
  });
  const runner: ExecutionRunner = createExecutionRunner({
    writes,
    config,
    logger,
    db,
    metrics: deps.metrics,
    events,
    cancels: deps.cancels,
    runs: deps.runs,
    waitForEnd: (executionId, timeoutMs) => waitForEnd(executionId, timeoutMs),
    credentialsFor: deps.credentialsFor,
    subWorkflows: (parent, stopping) =>
      createSubWorkflowPort(
        {
          db,
          maxDepth: config.maxWorkflowDepth,
          // Its own transaction, not the group commit: a key already taken refuses this insert alone.
          prepare: (input) => db.transaction().execute((trx) => prepare(trx, input)),
          runNow: (executionId) => runner.runNow(executionId),
          waitForEnd: (executionId, timeoutMs, signal) => waitForEnd(executionId, timeoutMs, signal),
          cancel: (executionId) => cancelQuietly(executionId),
        },
        parent,
        stopping,
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

  const watching = createExecutionWatching({ db, events, row });
  const { waitForEnd } = watching;
  const { cancelOne, cancelQuietly } = createExecutionCancel({ db, logger, runner, row });
  const watchLimits = createWatchLimits(config.maxWatchersPerExecution, config.maxWatchersPerCaller);

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

    test: (actor: Actor, workflow: WorkflowRecord, input: TestInput) =>
      runTest({ db, runner, variablesLimitBytes: config.variablesLimitBytes }, actor, workflow, input),

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
      if (!isTerminal(current.status)) {
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
