/**
 * @module services/execution-runner
 * Runs stored executions through the engine: claims a queued row, runs the published snapshot,
 * stores each node's state and the checkpoint as the node completes, and writes the end once.
 * At start it queues what a previous process left: `queued` rows run, `running` rows resume from
 * their checkpoint (a node that was in flight runs again).
 * How runs reach a process, and a cancel the process running it, is the composition root's
 * choice (services/run-distribution.ts: in-process or shared); so are the cancel bus and the
 * event relay. Ends are services/run-ends.ts.
 * Every run of the process counts against the fair-share caps (queue/fair-share.ts): queued runs,
 * test runs and the jobs this worker takes from a shared queue. Queued runs are held as ids; a
 * run's request is read from the store when it starts.
 * Runs are fenced (services/run-lease.ts): a claim or takeover raises the row's lease epoch, every write of the run holds
 * only under its epoch, and an effect that leaves the process is preceded by such a write. A
 * worker whose write is refused lost the run to another worker and stops it at once, so it makes
 * no delivery, and no end, after that.
 */
import { createRedactor, type Redactor, secretsOf } from '../core/redact.ts';
import type { WorkflowDefinition } from '../core/workflow.ts';
import { type ExecutionCheckpoint, type ExecutionResult, resumeExecution, runExecution } from '../engine/index.ts';
import type { ShareKeys } from '../queue/fair-share.ts';
import { createLocalQueue } from '../queue/local-queue.ts';
import type { ExecutionRow } from '../store/database.ts';
import { findExecution } from '../store/executions-repository.ts';
import { type ExecutionKeys, findUnfinishedExecutions } from '../store/waiting-runs-repository.ts';
import { createCheckpointer } from './checkpointer.ts';
import { createRunEnds, MAX_CRASHED_STARTS, REPEATED_CRASHES_MESSAGE } from './run-ends.ts';
import { createEngineDeps } from './run-engine.ts';
import { createLeaseGuard, leaseRun } from './run-lease.ts';
import { engineRequestOf, runDepsOf } from './run-request.ts';
import type { ExecutionRunner, ExecutionRunnerDeps, RunCredentials, StoredRequest } from './runner-types.ts';
import { createRunningRuns } from './running-runs.ts';

export function createExecutionRunner(deps: ExecutionRunnerDeps): ExecutionRunner {
  const { config, db, logger, events, metrics } = deps;
  const running = createRunningRuns();
  let closing = false;
  const progress = deps.writes;
  const engine = createEngineDeps(config, logger);
  const { finish, endUnstarted, endWithoutRunning } = createRunEnds({ ...deps, progress });
  /** The row of a run being started by the enqueue that handed it over (never one that waits). */
  const fresh = new Map<string, ExecutionRow>();
  const starts = new Map<string, Promise<ExecutionResult | undefined>>();
  // Test runs, the queued runs of a single process, and the caps a shared queue's jobs count against.
  const local = createLocalQueue(
    { concurrency: config.executionConcurrency, entityConcurrency: config.entityConcurrency },
    (error, executionId) => logger.error({ err: error, execution_id: executionId }, 'execution handler failed'),
  );
  const runs = deps.runs({
    config,
    logger,
    db,
    metrics,
    local,
    cancels: deps.cancels,
    keysOf,
    run: runOnce,
    runsHere: running.has,
    flush: () => progress.flush(),
    endUnstarted,
    waitForEnd: deps.waitForEnd,
  });
  metrics.measureQueueDepth(() => runs.depth());

  /** Stopped by shutdown, not by a death: the next start resumes it without counting a crash. */
  async function interrupted(executionId: string, epoch?: number): Promise<undefined> {
    if (epoch !== undefined) await progress.write(executionId, epoch, { resume_attempts: 0 }).catch(() => undefined);
    runs.interrupted(executionId);
    return undefined;
  }

  async function run(executionId: string): Promise<ExecutionResult | undefined> {
    if (closing) return interrupted(executionId);
    const handed = fresh.get(executionId);
    fresh.delete(executionId);
    // A handed-over row may be stale only in status; the conditional claim below settles that.
    const found = handed ?? (await findExecution(db, executionId));
    if (!found || (found.status !== 'queued' && found.status !== 'running')) return undefined;
    if (found.cancel_requested === 1 && found.status === 'queued') {
      await endWithoutRunning(found, undefined, 'cancelled', null);
      return undefined;
    }
    const leased = await leaseRun(db, progress, found);
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
    const controller = running.add(executionId);
    events.track(executionId);
    const guard = createLeaseGuard({ executionId, epoch, progress, logger, controller });
    const loseLease = guard.lose;
    const request = engineRequestOf(row, stored, definition, {
      signal: controller.signal,
      credentials: redact.active ? credentials : undefined,
      workflows: deps.subWorkflows?.(row, () => closing),
    });
    const checkpoints = createCheckpointer({
      executionId,
      epoch,
      writes: progress,
      deliveriesLeave: config.routerUrl !== undefined,
      logger,
      onLeaseLost: loseLease,
    });
    const runDeps = runDepsOf({
      engineDeps: engine.engineDeps,
      routerUrl: config.routerUrl,
      testMode: request.testMode === true,
      stopping: () => closing,
      metrics,
      events,
      executionId,
      redact,
      checkpoints,
      checkLease: guard.check,
    });
    try {
      const checkpoint = resuming && row.checkpoint ? (JSON.parse(row.checkpoint) as ExecutionCheckpoint) : undefined;
      const raw = checkpoint
        ? await resumeExecution(checkpoint, request, runDeps)
        : await runExecution(request, runDeps);
      if (guard.lost()) return undefined;
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
      if (guard.lost()) return undefined;
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

  /**
   * Every start goes through here: a repeat the distribution ignores ends at once; a second
   * start of a run being started or run here (a resumed parent's child, queued again at start
   * too) joins the first instead of taking the run over.
   */
  function runOnce(executionId: string): Promise<ExecutionResult | undefined> {
    if (runs.repeats(executionId)) return Promise.resolve(undefined);
    const current = starts.get(executionId);
    if (current) return current;
    const started = run(executionId).finally(() => starts.delete(executionId));
    starts.set(executionId, started);
    return started;
  }

  async function keysOf(row: ExecutionKeys): Promise<ShareKeys> {
    // Test runs are held by the process and entity caps only (PRODUCT.md §5).
    if (row.test_mode === 1 || row.workflow_version === null) return { workflowId: null, entityId: row.entity_id };
    const maxParallel = await deps.maxParallelOf(row.workflow_id, row.workflow_version).catch(() => undefined);
    return { workflowId: row.workflow_id, entityId: row.entity_id, maxParallel };
  }

  return {
    enqueue(stored, maxParallel) {
      const executionId = stored.execution_id;
      // A run that starts now takes its row synchronously; one that waits is held by id only.
      fresh.set(executionId, stored);
      runs.enqueue(executionId, { workflowId: stored.workflow_id, entityId: stored.entity_id, maxParallel });
      fresh.delete(executionId);
    },
    runNow: runOnce,
    runTest: (executionId, entityId) => local.runUrgent({ workflowId: null, entityId }, () => runOnce(executionId)),
    async cancel(executionId, at) {
      if (!running.cancel(executionId)) await runs.cancelNotHere(executionId, at);
    },
    queueStatus: () => runs.status(),
    async start() {
      // Warm before the first run (resumed ones included): no run waits for a worker to load,
      // which would count against its workflow timeout.
      await engine.warm();
      const unfinished = await findUnfinishedExecutions(db);
      await deps.cancels.listen(running.heard);
      await runs.start(unfinished);
    },
    async stop(graceMs) {
      await runs.stop(graceMs);
      // Past the grace period, in-flight nodes are interrupted; their rows stay `running` with the
      // last checkpoint, and the next start runs those nodes again (at least once).
      closing = true;
      running.abortAll(new Error('shutting down'));
      await runs.stop(2000);
      await Promise.allSettled([engine.close(), runs.close()]);
    },
  };
}
