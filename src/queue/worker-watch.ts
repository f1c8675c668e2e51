/**
 * @module queue/worker-watch
 * With REDIS_URL, `serve` only queues: if no `worker` process runs, executions sit `queued` and
 * nothing else says why. This watch looks at the shared queue every few seconds and warns, naming
 * the fix, once jobs wait and no worker has been seen for a while; then again every few minutes
 * while it lasts.
 */

/** What the queue reports: jobs waiting to start, and workers taking jobs now. */
export interface QueueStatus {
  readonly queue: 'local' | 'redis';
  readonly waiting: number;
  readonly running: number;
  readonly workers: number;
}

export interface WorkerWatchState {
  /** When a worker was last seen, or the watch started. */
  readonly seenAt: number;
  readonly warnedAt: number | undefined;
}

/** Between two warnings of one absence. */
export const WARNING_REPEAT_MS = 5 * 60_000;

/** Decides, from one look at the queue, the next state and whether to warn now. */
export function lookAtWorkers(
  state: WorkerWatchState,
  status: QueueStatus,
  now: number,
  silenceMs: number,
): { state: WorkerWatchState; warn: boolean } {
  if (status.workers > 0) return { state: { seenAt: now, warnedAt: undefined }, warn: false };
  const absent = status.waiting > 0 && now - state.seenAt >= silenceMs;
  const due = state.warnedAt === undefined || now - state.warnedAt >= WARNING_REPEAT_MS;
  if (!absent || !due) return { state, warn: false };
  return { state: { ...state, warnedAt: now }, warn: true };
}

export interface WorkerWatchOptions {
  status(): Promise<QueueStatus>;
  warn(fields: Record<string, unknown>, message: string): void;
  /** How long jobs may wait with no worker seen before the warning. */
  readonly silenceMs: number;
  readonly intervalMs?: number;
}

export function watchWorkers(options: WorkerWatchOptions): { stop(): void } {
  const interval = options.intervalMs ?? Math.min(5000, Math.max(250, Math.round(options.silenceMs / 4)));
  let state: WorkerWatchState = { seenAt: Date.now(), warnedAt: undefined };
  let looking = false;
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    options
      .status()
      .then((status) => {
        const next = lookAtWorkers(state, status, Date.now(), options.silenceMs);
        state = next.state;
        if (!next.warn) return;
        options.warn(
          { waiting: status.waiting, silence_seconds: Math.round(options.silenceMs / 1000) },
          `${status.waiting} execution(s) are waiting in the Redis queue and no worker has been seen for ${Math.round(
            (Date.now() - state.seenAt) / 1000,
          )} s: start \`workflow-core worker\` with the same REDIS_URL, QUEUE_PREFIX and DATABASE_URL`,
        );
      })
      // Redis down is the health check's to report; the watch looks again next time.
      .catch(() => {})
      .finally(() => {
        looking = false;
      });
  }, interval);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
