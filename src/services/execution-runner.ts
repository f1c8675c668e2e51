/**
 * @module services/execution-runner
 * Runs stored executions through the engine: claims a queued row, runs the published snapshot,
 * stores each node's state and the checkpoint as the node completes, and writes the end once.
 * At start it queues what a previous process left: `queued` rows run, `running` rows resume from
 * their checkpoint (a node that was in flight runs again).
 * The queue is chosen here: in-process, or BullMQ when REDIS_URL is set (then a job re-delivered
 * after a worker died finds its row `running` and resumes it too). The cancel bus and the event
 * relay are the composition root's choice.
 * Every run of the process counts against the fair-share caps (queue/fair-share.ts): queued runs,
 * test runs and, with a shared queue, the jobs this worker takes (a job that may not start here
 * now waits a moment in the shared queue, for any worker). Queued runs are held as ids; a run's
 * request is read from the store when it starts.
 * Runs are fenced: a claim or takeover raises the row's lease epoch, every write of the run holds
 * only under its epoch, and an effect that leaves the process is preceded by such a write. A
 * worker whose write is refused lost the run to another worker and stops it at once, so it makes
 * no delivery, and no end, after that.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createRedactor, type Redactor, secretsOf } from '../core/redact.ts';
import type { WorkflowDefinition } from '../core/workflow.ts';
import { createGuardedHttpClient } from '../delivery/guarded-http.ts';
import { createDelivery } from '../delivery/router-client.ts';
import {
  DEFAULT_ENGINE_LIMITS,
  type EngineDeps,
  type ExecutionCheckpoint,
  type ExecutionRequest,
  type ExecutionResult,
  resumeExecution,
  runExecution,
} from '../engine/index.ts';
import { createExpressionPool } from '../expressions/expression-pool.ts';
import type { Metrics } from '../metrics.ts';
import type { SubWorkflowPort } from '../nodes/node-type.ts';
import { getNodeType } from '../nodes/registry.ts';
import { type BullmqQueue, createBullmqQueue, ExecutionDeferred, ExecutionHandedBack } from '../queue/bullmq-queue.ts';
import type { CancelBus } from '../queue/cancel-bus.ts';
import type { ShareKeys } from '../queue/fair-share.ts';
import { createLocalQueue } from '../queue/local-queue.ts';
import type { ExecutionQueue } from '../queue/queue.ts';
import type { QueueStatus } from '../queue/worker-watch.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import {
  type ExecutionKeys,
  failUnfinishedTestRuns,
  findEarlierQueued,
  findExecution,
  findExecutionKeys,
  findStaleExecutions,
  findUnfinishedExecutions,
  findWorkflowLoad,
  finishExecution,
  takeOverExecution,
} from '../store/executions-repository.ts';
import type { ProgressWriter } from '../store/progress-writer.ts';
import { createCheckpointer } from './checkpointer.ts';
import type { EventRelay } from './event-relay.ts';

/** Stored request of a run: everything the runner needs besides the published snapshot. */
export interface StoredRequest {
  readonly trigger_data: Record<string, unknown>;
  readonly trigger_variable?: unknown;
  readonly variables: Record<string, unknown>;
  readonly mock_outputs?: Record<string, unknown>;
  readonly mock_errors?: Record<string, string>;
  /** Test runs carry their (unpublished) definition. */
  readonly definition?: WorkflowDefinition;
}

export interface ExecutionRunnerDeps {
  readonly writes: ProgressWriter;
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly metrics: Metrics;
  readonly events: EventRelay;
  /** Cancels for runs of this process, heard from wherever they were asked. */
  readonly cancels: CancelBus;
  definitionOf(row: ExecutionRow): Promise<WorkflowDefinition>;
  /** `settings.max_parallel_executions` of the published version a run runs. */
  maxParallelOf(workflowId: string, version: number): Promise<number | undefined>;
  /** The opened credentials a run's definition refers to (name -> field -> value). */
  credentialsFor?(entityId: number | null, definition: WorkflowDefinition): Promise<RunCredentials>;
  /** Sub-workflow calls made by the run of `row`. */
  subWorkflows?(row: ExecutionRow): SubWorkflowPort;
  /** After a run's end is stored (error workflows start here); must not throw. */
  afterEnd?(row: ExecutionRow, end: RunEnd, definition: WorkflowDefinition | undefined): void;
}

export type RunCredentials = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface RunEnd {
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly error_message: string | null;
  readonly error_node_id: string | null;
}

export interface ExecutionRunner {
  /**
   * Queues the row just inserted; `maxParallel`: its version's cap. Started at once the row is
   * used as it is; otherwise only its id waits, and the row is read back when it starts.
   */
  enqueue(stored: ExecutionRow, maxParallel: number | undefined): void;
  /**
   * Runs a sub-workflow call's child now, on its parent's slot (a parent waiting for a slot its
   * own child needs could deadlock the queue).
   */
  runNow(executionId: string): Promise<ExecutionResult | undefined>;
  /** Runs a stored test run as soon as the process and entity caps allow, before queued runs. */
  runTest(executionId: string, entityId: number | null): Promise<ExecutionResult | undefined>;
  /** Aborts a run of this process; false when it is not running here. */
  cancel(executionId: string): boolean;
  /**
   * Ends as cancelled, at `at`, a run not running here (queued, or left by a crash; `onlyQueued`:
   * queued only); false when it is not (or no longer) such a run.
   */
  endUnstarted(executionId: string, at: string, onlyQueued?: boolean): Promise<boolean>;
  /** True when runs may be in other processes (REDIS_URL): their events and ends are not seen here. */
  readonly shared: boolean;
  /** Tells every worker (this process too) to abort this run; resolves once published. */
  cancelEverywhere(executionId: string): Promise<void>;
  /** Waiting and running jobs and the live workers, from the queue. */
  queueStatus(): Promise<QueueStatus>;
  start(): Promise<void>;
  stop(graceMs: number): Promise<void>;
}

/**
 * A run whose work was started this many times with no clean stop in between was in flight during
 * that many process deaths in a row: it is ended instead of resumed again (PRODUCT.md §5).
 */
export const MAX_CRASHED_STARTS = 3;
export const REPEATED_CRASHES_MESSAGE = `Execution stopped after repeated crashes: it was in flight during ${MAX_CRASHED_STARTS} process deaths in a row, so it is not resumed again`;

export const ABANDONED_TEST_MESSAGE = 'The test run was interrupted by a restart; test runs are not resumed';
/** Shared queue: deferred job ids kept to call back when a slot frees. */
const DEFERRED_KEPT = 10_000;
/** How long a cancel heard for a run not (yet) registered here is remembered. */
const EARLY_CANCEL_MS = 60_000;
/**
 * The shared queue's sweep looks every this many leases for runs untouched as long, a few hundred
 * at a time (a run whose job is alive costs one collapsed add).
 */
const SWEEP_LEASES = 5;
const SWEEP_BATCH = 500;

function sharedQueue(config: Config, logger: Logger, db: Db): { queue: BullmqQueue } | undefined {
  if (!config.redisUrl) return undefined;
  const sweepMs = SWEEP_LEASES * config.executionLeaseMs;
  const queue = createBullmqQueue({
    redisUrl: config.redisUrl,
    prefix: config.queuePrefix,
    concurrency: config.executionConcurrency,
    lockDurationMs: config.executionLeaseMs,
    stalledIntervalMs: Math.max(500, Math.round(config.executionLeaseMs / 2)),
    sweep: {
      everyMs: sweepMs,
      candidates: () => findStaleExecutions(db, new Date(Date.now() - sweepMs).toISOString(), SWEEP_BATCH),
    },
    onError: (error, executionId) =>
      logger.error({ err: error, execution_id: executionId }, 'execution queue (redis) error'),
  });
  return { queue };
}

export function createExecutionRunner(deps: ExecutionRunnerDeps): ExecutionRunner {
  const { config, db, logger, events, metrics } = deps;
  const running = new Map<string, AbortController>();
  let closing = false;
  const http = createGuardedHttpClient({ allowPrivateNetwork: config.allowPrivateNetwork });
  // The engine records every send in the execution's outbox itself.
  const delivery = createDelivery({ routerUrl: config.routerUrl, outbox: () => {} });
  const expressions = createExpressionPool({
    size: config.expressionWorkers,
    memoryMb: config.expressionMemoryMb,
    limits: {
      maxSequenceLength: config.expressionSequenceLimit,
      maxResultBytes: config.expressionResultLimitBytes,
    },
    onWorkerLost: (reason) => logger.warn({ reason }, 'expression worker replaced'),
  });
  const engineDeps: Omit<EngineDeps, 'recorder'> = {
    nodeTypes: getNodeType,
    delivery,
    http,
    expressions,
    clock: { now: () => new Date() },
    limits: {
      ...DEFAULT_ENGINE_LIMITS,
      workflowTimeoutMs: config.workflowTimeoutSeconds * 1000,
      maxLoopIterations: config.maxLoopIterations,
      maxTotalOperations: config.maxTotalOperations,
      maxLoopDepth: config.maxLoopDepth,
      maxParallelNodes: config.maxParallelNodes,
      expressionTimeoutMs: config.expressionTimeoutMs,
    },
  };
  const progress = deps.writes;
  /** The row of a run being started by the enqueue that handed it over (never one that waits). */
  const fresh = new Map<string, ExecutionRow>();
  const shared = sharedQueue(config, logger, db);
  // Also with a shared queue: test runs, and the caps the shared queue's jobs count against.
  const local = createLocalQueue(
    { concurrency: config.executionConcurrency, entityConcurrency: config.entityConcurrency },
    (error, executionId) => logger.error({ err: error, execution_id: executionId }, 'execution handler failed'),
  );
  const queue: Omit<ExecutionQueue, 'enqueue'> = shared?.queue ?? local;
  metrics.measureQueueDepth(() => queue.depth());
  /** Shared queue: runs this process stopped at shutdown, to hand back rather than complete. */
  const handedBack = new Set<string>();
  /** Shared queue: cancels heard between a run's claim and its registration here. */
  const earlyCancels = new Map<string, number>();

  /** Stopped by shutdown, not by a death: the next start resumes it without counting a crash. */
  async function interrupted(executionId: string, epoch?: number): Promise<undefined> {
    if (epoch !== undefined) await progress.write(executionId, epoch, { resume_attempts: 0 }).catch(() => undefined);
    if (shared) handedBack.add(executionId);
    return undefined;
  }

  function heardCancel(executionId: string): void {
    const controller = running.get(executionId);
    if (controller) {
      controller.abort();
      return;
    }
    const now = Date.now();
    for (const [id, at] of earlyCancels) {
      if (now - at < EARLY_CANCEL_MS) break;
      earlyCancels.delete(id);
    }
    earlyCancels.set(executionId, now);
  }

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
    deps.afterEnd?.(row, result, definition);
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
    deps.afterEnd?.(row, { status, error_message: message, error_node_id: null }, definition);
  }

  /**
   * Takes the run's lease: claims a queued row, or takes over a running one (resume). Answers the
   * epoch and the row as of the claim, or undefined when the run is not this process's to run.
   */
  async function lease(row: ExecutionRow): Promise<{ epoch: number; row: ExecutionRow } | undefined> {
    const at = new Date().toISOString();
    if (row.status === 'queued') {
      const epoch = await progress.claim(row.execution_id, at);
      if (epoch === undefined) return undefined;
      return { epoch, row: { ...row, status: 'running', start_time: at, lease_epoch: epoch } };
    }
    // Taken after the previous holder's last write: its checkpoint is the one to resume from.
    const taken = await takeOverExecution(db, row.execution_id, at);
    if (!taken) return undefined;
    return { epoch: taken.lease_epoch, row: { ...row, ...taken } };
  }

  /**
   * A side-effect port that first writes under the lease (the delivery's record): when that is
   * refused the run lost its lease, and the effect is not made.
   */
  function fenced<T extends object>(port: T, method: keyof T, check: () => Promise<void>): T {
    const call = (port[method] as (...args: unknown[]) => Promise<unknown>).bind(port);
    return {
      ...port,
      [method]: async (...args: unknown[]) => {
        await check();
        return call(...args);
      },
    };
  }

  async function run(executionId: string): Promise<ExecutionResult | undefined> {
    if (closing) return interrupted(executionId);
    // A shared queue may re-deliver a job whose lock lapsed while this process still runs it.
    if (shared && running.has(executionId)) return undefined;
    const handed = fresh.get(executionId);
    fresh.delete(executionId);
    // A handed-over row may be stale only in status; the conditional claim below settles that.
    const found = handed ?? (await findExecution(db, executionId));
    if (!found || (found.status !== 'queued' && found.status !== 'running')) return undefined;
    if (found.cancel_requested === 1 && found.status === 'queued') {
      await endWithoutRunning(found, undefined, 'cancelled', null);
      return undefined;
    }
    const leased = await lease(found);
    if (!leased) return undefined;
    const { epoch } = leased;
    const { row } = leased;
    if (row.cancel_requested === 1) {
      await endWithoutRunning(row, epoch, 'cancelled', null);
      return undefined;
    }
    if (found.status === 'running') {
      if (row.resume_attempts >= MAX_CRASHED_STARTS) {
        logger.warn({ execution_id: executionId, starts: row.resume_attempts }, 'poison run ended, not resumed');
        await endWithoutRunning(row, epoch, 'failed', REPEATED_CRASHES_MESSAGE);
        return undefined;
      }
      // Stored before any node runs again: if this start dies too, the next one knows.
      await progress.write(executionId, epoch, { resume_attempts: row.resume_attempts + 1 });
    }
    const resuming = found.status === 'running';
    let definition: WorkflowDefinition;
    try {
      definition = await deps.definitionOf(row);
    } catch (error) {
      await endWithoutRunning(row, epoch, 'failed', `Cannot load the workflow version: ${(error as Error).message}`);
      return undefined;
    }
    let credentials: RunCredentials = {};
    try {
      credentials = (await deps.credentialsFor?.(row.entity_id, definition)) ?? {};
    } catch (error) {
      await endWithoutRunning(
        row,
        epoch,
        'failed',
        `Cannot open the credentials: ${(error as Error).message}`,
        definition,
      );
      return undefined;
    }
    const redact: Redactor = createRedactor(secretsOf(credentials));
    const stored = JSON.parse(row.request) as StoredRequest;
    const controller = new AbortController();
    running.set(executionId, controller);
    if (earlyCancels.delete(executionId)) controller.abort();
    events.track(executionId);
    let leaseLost = false;
    const loseLease = () => {
      if (leaseLost) return;
      leaseLost = true;
      logger.warn({ execution_id: executionId, lease_epoch: epoch }, 'lease lost: another worker runs it now');
      controller.abort(new Error('lease lost'));
    };
    const checkLease = async () => {
      const held = !leaseLost && (await progress.write(executionId, epoch, { updated_at: new Date().toISOString() }));
      if (!held) {
        loseLease();
        throw new Error('The run moved to another worker (lease lost); not delivered');
      }
    };
    const request: ExecutionRequest = {
      executionId,
      workflowId: row.workflow_id,
      entityId: row.entity_id,
      communityId: row.community_id,
      definition,
      triggerNodeIds: row.trigger_node_ids ? JSON.parse(row.trigger_node_ids) : undefined,
      triggerData: stored.trigger_data,
      ...(stored.trigger_variable !== undefined ? { triggerVariable: stored.trigger_variable } : {}),
      variables: stored.variables,
      testMode: row.test_mode === 1,
      mockOutputs: stored.mock_outputs,
      mockErrors: stored.mock_errors,
      signal: controller.signal,
      ...(redact.active ? { credentials } : {}),
      ...(deps.subWorkflows ? { workflows: deps.subWorkflows(row) } : {}),
    };
    const checkpoints = createCheckpointer({
      executionId,
      epoch,
      writes: progress,
      deliveriesLeave: config.routerUrl !== undefined,
      logger,
      onLeaseLost: loseLease,
    });
    const recorder: EngineDeps['recorder'] = {
      onNodeFinished: (state, _checkpoint, checkpointJson) => {
        metrics.nodeRuns.inc({ node_type: state.node_type, status: state.status });
        // Test runs are never resumed, so they need no checkpoints.
        if (closing || request.testMode) return undefined;
        if (redact.active) return checkpoints.nodeFinished(state, () => redact.json(checkpointJson()));
        return checkpoints.nodeFinished(state, checkpointJson);
      },
      onNodeEvent: (event) => {
        events.publish({ execution_id: executionId, ...(redact.active ? redact.value(event) : event), final: false });
      },
    };
    // Effects that leave the process (test runs make none): each one only under the lease.
    const runDeps = request.testMode
      ? { ...engineDeps, recorder }
      : {
          ...engineDeps,
          recorder,
          http: fenced(engineDeps.http, 'request', checkLease),
          delivery: config.routerUrl ? fenced(engineDeps.delivery, 'send', checkLease) : engineDeps.delivery,
        };
    try {
      const checkpoint = resuming && row.checkpoint ? (JSON.parse(row.checkpoint) as ExecutionCheckpoint) : undefined;
      const raw = checkpoint
        ? await resumeExecution(checkpoint, request, runDeps)
        : await runExecution(request, runDeps);
      if (leaseLost) return undefined;
      // Whatever the run recorded leaves it without the credential values it used.
      const result = redact.active ? redact.value(raw) : raw;
      // A run stopped by shutdown stays `running` with its checkpoint; the next start resumes it
      // (and ends it cancelled then, if a cancel was asked for meanwhile).
      if (closing && result.status === 'cancelled') return interrupted(executionId, epoch);
      if (!(await finish(row, epoch, result, definition))) {
        loseLease();
        return undefined;
      }
      return result;
    } catch (error) {
      if (closing) return interrupted(executionId, epoch);
      if (leaseLost) return undefined;
      const message = redact.text((error as Error).message ?? String(error));
      const stack = redact.text((error as Error).stack ?? '');
      logger.error(
        { err: { message, name: (error as Error).name, stack }, execution_id: executionId },
        'engine failed',
      );
      await endWithoutRunning(row, epoch, 'failed', `Internal engine error: ${message}`, definition);
      return undefined;
    } finally {
      checkpoints.stop();
      running.delete(executionId);
    }
  }

  async function keysOf(row: ExecutionKeys): Promise<ShareKeys> {
    // Test runs are held by the process and entity caps only (PRODUCT.md §5).
    if (row.test_mode === 1 || row.workflow_version === null) return { workflowId: null, entityId: row.entity_id };
    const maxParallel = await deps.maxParallelOf(row.workflow_id, row.workflow_version).catch(() => undefined);
    return { workflowId: row.workflow_id, entityId: row.entity_id, maxParallel };
  }

  /** Shared queue: jobs this process deferred, in the order deferred, to call back when a slot frees. */
  const deferred = new Map<string, ShareKeys>();

  /** Ids only, bounded: one dropped here still comes back when its wait runs out. */
  function remember(executionId: string, keys: ShareKeys): void {
    if (deferred.has(executionId)) return;
    if (deferred.size >= DEFERRED_KEPT) deferred.delete(deferred.keys().next().value as string);
    deferred.set(executionId, keys);
  }

  function defer(executionId: string, keys: ShareKeys): never {
    remember(executionId, keys);
    throw new ExecutionDeferred(executionId);
  }

  /** A slot freed here: the first deferred job that fits now is looked at again at once. */
  function callBack(queue: BullmqQueue): void {
    for (const [executionId, keys] of deferred) {
      if (!local.share.fits(keys)) continue;
      deferred.delete(executionId);
      queue
        .promote(executionId)
        .catch((error: unknown) =>
          logger.warn({ err: error, execution_id: executionId }, 'promoting a deferred job failed'),
        );
      return;
    }
  }

  /**
   * Shared queue: runs the job here when this process's caps allow it now, else defers it. A
   * queued run of a capped workflow also needs a place in the workflow's cap counted across
   * workers from the store: its running runs and its earlier queued runs (which go first, so the
   * workflow's runs start in order). It makes sure the earliest of those has a job, so none waits
   * behind a lost one.
   */
  async function runShared(queue: BullmqQueue, executionId: string): Promise<void> {
    const found = await findExecutionKeys(db, executionId);
    // Gone or ended: run() finds nothing to do.
    const keys = found && (found.status === 'queued' || found.status === 'running') ? await keysOf(found) : undefined;
    if (found && keys?.maxParallel !== undefined && found.status === 'queued') {
      const load = await findWorkflowLoad(db, found);
      if (load.running + load.earlier >= keys.maxParallel) {
        const earliest = load.earlier > 0 ? await findEarlierQueued(db, found) : undefined;
        if (earliest) {
          await queue.revive(earliest);
          // The earlier run is the one a freed slot should call back.
          remember(earliest, keys);
        }
        defer(executionId, keys);
      }
    }
    if (keys && !local.share.tryStart(keys)) defer(executionId, keys);
    deferred.delete(executionId);
    try {
      await run(executionId);
    } finally {
      if (keys) {
        local.share.end(keys);
        local.wake();
        callBack(queue);
      }
    }
  }

  return {
    enqueue(stored, maxParallel) {
      const executionId = stored.execution_id;
      if (shared) {
        shared.queue.enqueue(executionId);
        return;
      }
      // A run that starts now takes its row synchronously; one that waits is held by id only.
      fresh.set(executionId, stored);
      local.enqueue(executionId, { workflowId: stored.workflow_id, entityId: stored.entity_id, maxParallel });
      fresh.delete(executionId);
    },
    runNow: run,
    runTest: (executionId, entityId) => local.runUrgent({ workflowId: null, entityId }, () => run(executionId)),
    cancel(executionId) {
      const controller = running.get(executionId);
      if (!controller) return false;
      controller.abort();
      return true;
    },
    endUnstarted,
    shared: shared !== undefined,
    queueStatus: () => queue.status(),
    async cancelEverywhere(executionId) {
      await deps.cancels.publish(executionId);
    },
    async start() {
      // Warm before the first run (resumed ones included): no run waits for a worker to load,
      // which would count against its workflow timeout.
      await expressions.warm();
      const unfinished = await findUnfinishedExecutions(db);
      await deps.cancels.listen(heardCancel);
      if (shared) {
        // Job ids collapse: this adds only jobs lost between a row's store and its job's add
        // (or all of them if Redis lost its data); live jobs, even running ones, stay as they are.
        await shared.queue.requeue(unfinished.map((row) => row.execution_id));
        shared.queue.start(async (executionId) => {
          await runShared(shared.queue, executionId);
          if (!handedBack.delete(executionId)) return;
          // Its last progress is stored before another worker can resume it.
          await progress.flush();
          throw new ExecutionHandedBack(executionId);
        });
        return;
      }
      // One process runs everything here, so a test run left unfinished was this process's.
      const abandoned = await failUnfinishedTestRuns(db, new Date().toISOString(), ABANDONED_TEST_MESSAGE);
      if (abandoned) metrics.executions.inc({ status: 'failed' }, abandoned);
      for (const row of unfinished) local.enqueue(row.execution_id, await keysOf(row));
      if (unfinished.length) logger.info({ count: unfinished.length }, 'queued unfinished executions again');
      local.start(async (executionId) => {
        await run(executionId);
      });
    },
    async stop(graceMs) {
      await queue.stop(graceMs);
      // Past the grace period, in-flight nodes are interrupted; their rows stay `running` with the
      // last checkpoint, and the next start runs those nodes again (at least once).
      closing = true;
      for (const controller of running.values()) controller.abort(new Error('shutting down'));
      await queue.stop(2000);
      await Promise.allSettled([http.close(), delivery.close(), expressions.close(), shared?.queue.close()]);
    },
  };
}
