/**
 * @module services/shared-runs
 * The shared queue (REDIS_URL set): runs go to BullMQ and any worker takes them. A job runs here
 * when this process's caps allow it now, else it is deferred (a moment in the queue, for any
 * worker) and called back when a slot frees here; a run stopped by shutdown is handed back.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { type BullmqQueue, createBullmqQueue } from '../queue/bullmq-queue.ts';
import type { ShareKeys } from '../queue/fair-share.ts';
import { ExecutionDeferred, ExecutionHandedBack } from '../queue/job-returns.ts';
import type { LocalQueue } from '../queue/local-queue.ts';
import type { Db } from '../store/database.ts';
import {
  type ExecutionKeys,
  findEarlierQueued,
  findExecutionKeys,
  findStaleExecutions,
  findWorkflowLoad,
} from '../store/waiting-runs-repository.ts';

/** Shared queue: deferred job ids kept to call back when a slot frees. */
const DEFERRED_KEPT = 10_000;
/**
 * The shared queue's sweep looks every this many leases for runs untouched as long, a few hundred
 * at a time (a run whose job is alive costs one collapsed add).
 */
const SWEEP_LEASES = 5;
const SWEEP_BATCH = 500;

export interface SharedRunsDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  /** The caps every run of this process counts against, a shared job's too. */
  readonly local: LocalQueue;
  keysOf(row: ExecutionKeys): Promise<ShareKeys>;
  run(executionId: string): Promise<unknown>;
  /** True (once) when this process stopped the run at shutdown: it goes back to the queue. */
  handedBack(executionId: string): boolean;
  /** Stores what is pending, before a handed-back run can be resumed elsewhere. */
  flush(): Promise<void>;
}

export interface SharedRuns {
  readonly queue: BullmqQueue;
  /** Requeues what may have lost its job, then takes jobs. */
  start(unfinished: readonly string[]): Promise<void>;
}

export function createSharedRuns(deps: SharedRunsDeps): SharedRuns | undefined {
  const { config, logger, db, local } = deps;
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
   * Shared queue: runs the job here when this process's caps allow it now, else defers it. A
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

  return {
    queue,
    async start(unfinished) {
      // Job ids collapse: this adds only jobs lost between a row's store and its job's add
      // (or all of them if Redis lost its data); live jobs, even running ones, stay as they are.
      await queue.requeue(unfinished);
      queue.start(async (executionId) => {
        await runShared(executionId);
        if (!deps.handedBack(executionId)) return;
        // Its last progress is stored before another worker can resume it.
        await deps.flush();
        throw new ExecutionHandedBack(executionId);
      });
    },
  };
}
