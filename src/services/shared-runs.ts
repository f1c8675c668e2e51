/**
 * @module services/shared-runs
 * The shared queue (REDIS_URL set): runs go to BullMQ and any worker takes them. A job runs here
 * when this process's caps allow it now, else it is deferred (a moment in the queue, for any
 * worker) and called back when a slot frees here; a run stopped by shutdown is handed back. A
 * job re-delivered after a worker died finds its row `running` and resumes it. A cancel of a run
 * not running here goes out on the cancel bus to whichever worker runs it. The counterpart of
 * services/local-runs.ts behind services/run-distribution.ts.
 */
import { createBullmqQueue } from '../queue/bullmq-queue.ts';
import type { ShareKeys } from '../queue/fair-share.ts';
import { ExecutionDeferred, ExecutionHandedBack } from '../queue/job-returns.ts';
import { findExecutionStatus } from '../store/executions-repository.ts';
import {
  findEarlierQueued,
  findExecutionKeys,
  findStaleExecutions,
  findWorkflowLoad,
} from '../store/waiting-runs-repository.ts';
import type { RunDistribution, RunDistributionDeps } from './run-distribution.ts';

/** Deferred job ids kept to call back when a slot frees. */
const DEFERRED_KEPT = 10_000;
/**
 * The shared queue's sweep looks every this many leases for runs untouched as long, a few hundred
 * at a time (a run whose job is alive costs one collapsed add).
 */
const SWEEP_LEASES = 5;
const SWEEP_BATCH = 500;
/** How long a cancel waits for the run to stop where it runs before answering. */
const CANCEL_SETTLE_MS = 2000;

export function createSharedRuns(redisUrl: string, deps: RunDistributionDeps): RunDistribution {
  const { config, logger, db, local } = deps;
  const sweepMs = SWEEP_LEASES * config.executionLeaseMs;
  const queue = createBullmqQueue({
    redisUrl,
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
  /** Runs this process stopped at shutdown, to hand back rather than complete. */
  const handedBack = new Set<string>();
  /** Jobs this process deferred, in the order deferred, to call back when a slot frees. */
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
  function callBack(): void {
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
   * Runs the job here when this process's caps allow it now, else defers it. A
   * queued run of a capped workflow also needs a place in the workflow's cap counted across
   * workers from the store: its running runs and its earlier queued runs (which go first, so the
   * workflow's runs start in order). It makes sure the earliest of those has a job, so none waits
   * behind a lost one.
   */
  async function runShared(executionId: string): Promise<void> {
    const found = await findExecutionKeys(db, executionId);
    // Gone or ended: run() finds nothing to do.
    const keys =
      found && (found.status === 'queued' || found.status === 'running') ? await deps.keysOf(found) : undefined;
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
      await deps.run(executionId);
    } finally {
      if (keys) {
        local.share.end(keys);
        local.wake();
        callBack();
      }
    }
  }

  /**
   * A row still queued now stays so (no claim succeeds once `cancel_requested` is set): end it
   * here. A running one is aborted where it runs; answer once it stopped, or after a moment when
   * its worker is gone (the job's next delivery ends it).
   */
  async function cancelNotHere(executionId: string, at: string): Promise<void> {
    const status = await findExecutionStatus(db, executionId);
    // Only while still queued: once claimed, only its lease holder may end it.
    if (status === 'queued' && (await deps.endUnstarted(executionId, at, true))) return;
    if (status !== 'running' && status !== 'queued') return;
    await deps.cancels.publish(executionId);
    await deps.waitForEnd(executionId, CANCEL_SETTLE_MS).catch(() => undefined);
  }

  return {
    enqueue: (executionId) => queue.enqueue(executionId),
    async start(unfinished) {
      // Job ids collapse: this adds only jobs lost between a row's store and its job's add
      // (or all of them if Redis lost its data); live jobs, even running ones, stay as they are.
      await queue.requeue(unfinished.map((row) => row.execution_id));
      queue.start(async (executionId) => {
        await runShared(executionId);
        if (!handedBack.delete(executionId)) return;
        // Its last progress is stored before another worker can resume it.
        await deps.flush();
        throw new ExecutionHandedBack(executionId);
      });
    },
    // A job whose lock lapsed while this process still runs it may be delivered again.
    repeats: (executionId) => deps.runsHere(executionId),
    interrupted(executionId) {
      handedBack.add(executionId);
    },
    cancelNotHere,
    depth: () => queue.depth(),
    status: () => queue.status(),
    stop: (graceMs) => queue.stop(graceMs),
    close: () => queue.close(),
  };
}
