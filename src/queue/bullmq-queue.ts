/**
 * @module queue/bullmq-queue
 * The execution queue across processes (REDIS_URL set): a BullMQ queue whose job id is the
 * execution id, so adding the same execution twice makes one job. Any process may enqueue; only
 * processes that call `start` (the `worker` command) run jobs. A job of a worker that dies is
 * taken over by another worker once its lock lapses (BullMQ's stalled-job check); a job that a
 * stopping worker could not finish is handed back to the queue. A started worker also sweeps:
 * runs the store holds unfinished get their job back if they lost it (a job gives up after a few
 * failed attempts, as it does through a database outage), so nothing waits for a restart.
 */
import { hostname } from 'node:os';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { putBack } from './job-returns.ts';
import type { ExecutionHandler, ExecutionQueue } from './queue.ts';

export const EXECUTION_QUEUE_NAME = 'executions';

export interface BullmqQueueOptions {
  readonly redisUrl: string;
  /** Key prefix; deployments (and tests) sharing one Redis isolate themselves with it. */
  readonly prefix: string;
  readonly concurrency: number;
  /** A handler or connection failure; `executionId` when one job is concerned. */
  readonly onError: (error: unknown, executionId: string | undefined) => void;
  /** How long a dead worker's jobs stay locked before another worker takes them over. */
  readonly lockDurationMs?: number;
  /** How often a worker looks for jobs whose lock lapsed. */
  readonly stalledIntervalMs?: number;
  /** Unfinished runs that may have lost their job (the sweep requeues them), and how often to look. */
  readonly sweep?: { readonly everyMs: number; readonly candidates: () => Promise<readonly string[]> };
}

export interface BullmqQueue extends ExecutionQueue {
  /** Adds jobs for these executions unless they have one; a failed job is retried. */
  requeue(executionIds: readonly string[]): Promise<void>;
  /** Gives a queued run a job again if it has none, or retries its failed one (a run others wait behind). */
  revive(executionId: string): Promise<void>;
  /** A deferred job is looked at now rather than when its wait runs out (no-op for any other). */
  promote(executionId: string): Promise<void>;
  /** After `stop`: closes the worker and every connection. */
  close(): Promise<void>;
  /** Deletes the queue and all its keys (tests clean up with it). */
  obliterate(): Promise<void>;
}

/** Resumable runs make a second delivery safe, so a job may stall (worker crash) a few times. */
const MAX_STALLED = 5;
const FAILED_KEPT = 1000;
/**
 * Shorter than BullMQ's 30 s so a crashed worker's runs resume within about 10 s. Safe because
 * the lock is renewed every half period and nothing in a run blocks the event loop for seconds
 * (expressions have a 1 s limit); a lapse costs at most a node run twice, as a crash does.
 */
const DEFAULT_LOCK_MS = 6000;
const DEFAULT_STALLED_CHECK_MS = 3000;
const COUNT_REFRESH_MS = 1000;

const JOB_OPTIONS = {
  removeOnComplete: true,
  removeOnFail: FAILED_KEPT,
  // Only infrastructure failures (database down) reach BullMQ; the run itself records its errors.
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
} as const;

async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return done;
}

export function createBullmqQueue(options: BullmqQueueOptions): BullmqQueue {
  const { prefix, onError } = options;
  let connection: Redis | undefined;
  let queue: Queue | undefined;
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  let closingWorker: Promise<void> | undefined;
  let running = 0;
  let waiting = 0;
  let sweeper: NodeJS.Timeout | undefined;
  /** Handlers running here, by execution id. */
  const handling = new Map<string, Promise<void>>();
  let countedAt = 0;

  /** Made on first use: an app that never enqueues (a health check in a test) opens nothing. */
  function producer(): Queue {
    if (queue) return queue;
    // Commands wait out a Redis outage rather than fail: the job is added once it is back.
    connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', (error) => onError(error, undefined));
    queue = new Queue(EXECUTION_QUEUE_NAME, { connection, prefix, defaultJobOptions: JOB_OPTIONS });
    queue.on('error', (error) => onError(error, undefined));
    return queue;
  }

  function refreshCount(): void {
    if (!queue || Date.now() - countedAt < COUNT_REFRESH_MS) return;
    countedAt = Date.now();
    queue.getWaitingCount().then(
      (count) => {
        waiting = count;
      },
      () => {},
    );
  }

  function start(handler: ExecutionHandler): void {
    if (worker) return;
    // BullMQ's blocking reads need a connection that never gives up on a command.
    workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    workerConnection.on('error', (error) => onError(error, undefined));
    worker = new Worker(
      EXECUTION_QUEUE_NAME,
      async (job, token) => {
        const executionId = job.id as string;
        // A job handed back to this process while it still runs it (its lock lapsed in a busy
        // moment): done now, it would leave the run without a job, and a crash here would strand
        // it. It is done when the run is.
        let work = handling.get(executionId);
        if (!work) {
          running++;
          work = handler(executionId).finally(() => {
            running--;
            handling.delete(executionId);
          });
          handling.set(executionId, work);
        }
        try {
          await work;
        } catch (error) {
          await putBack(job, token, error);
        }
      },
      {
        connection: workerConnection,
        prefix,
        // Stored on each job it takes (`processedBy`): which process runs a run, for operators.
        name: `${hostname()}:${process.pid}`,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_MS,
        stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_CHECK_MS,
        maxStalledCount: MAX_STALLED,
      },
    );
    worker.on('error', (error) => onError(error, undefined));
    worker.on('failed', (job, error) => onError(error, job?.id));
    const { sweep } = options;
    if (!sweep) return;
    let sweeping = false;
    sweeper = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      sweep
        .candidates()
        .then((ids) => requeue(ids))
        .catch((error: unknown) => onError(error, undefined))
        .finally(() => {
          sweeping = false;
        });
    }, sweep.everyMs);
    sweeper.unref();
  }

  async function requeue(executionIds: readonly string[]): Promise<void> {
    if (executionIds.length === 0) return;
    // Existing job ids collapse, so this adds only the jobs that were lost.
    await producer().addBulk(executionIds.map((id) => ({ name: 'run', data: {}, opts: { jobId: id } })));
    const wanted = new Set(executionIds);
    for (const job of await producer().getFailed(0, FAILED_KEPT)) {
      if (job.id && wanted.has(job.id)) await job.retry('failed', { resetAttemptsMade: true });
    }
  }

  return {
    enqueue(executionId) {
      producer()
        .add('run', {}, { jobId: executionId })
        .catch((error: unknown) => onError(error, executionId));
      waiting++;
    },
    start,
    async revive(executionId) {
      const job = await producer().getJob(executionId);
      if (!job) await producer().add('run', {}, { jobId: executionId });
      else if (await job.isFailed()) await job.retry('failed');
    },
    async promote(executionId) {
      const job = await producer().getJob(executionId);
      // Taken meanwhile by a worker, or already due: nothing to do.
      if (job && (await job.isDelayed())) await job.promote().catch(() => {});
    },
    requeue,
    async stop(graceMs) {
      clearInterval(sweeper);
      if (!worker) return;
      // Stops fetching at once; resolves when the jobs in hand are done.
      closingWorker ??= worker.close();
      await settleWithin(closingWorker, graceMs);
    },
    async close() {
      if (worker) {
        closingWorker ??= worker.close();
        if (!(await settleWithin(closingWorker, 2000))) workerConnection?.disconnect();
        // The worker's own connection is ours (BullMQ closes only the blocking one it made).
        await workerConnection?.quit().catch(() => workerConnection?.disconnect());
      }
      await queue?.close().catch(() => {});
      await connection?.quit().catch(() => connection?.disconnect());
    },
    async obliterate() {
      await producer().obliterate({ force: true });
    },
    depth() {
      refreshCount();
      return waiting;
    },
    active: () => running,
    async status() {
      const [counts, workers] = await Promise.all([
        producer().getJobCounts('wait', 'prioritized', 'active'),
        producer().getWorkersCount(),
      ]);
      return {
        queue: 'redis',
        waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
        running: counts.active ?? 0,
        workers,
      };
    },
  };
}
