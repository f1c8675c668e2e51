/**
 * @module queue/local-queue
 * The in-process queue: execution ids wait with their fair-share keys (queue/fair-share.ts) and
 * start as the process, entity and workflow caps allow. Nothing is lost with it on a crash
 * because each id is a stored `queued` row first; start-up recovery queues those again.
 * It also starts urgent work (a `/test` someone waits on) within the same caps, before queued
 * runs, whether or not this process runs queued executions; a shared queue's runs take their
 * slots from the same caps and `wake` it when they end.
 */
import { createFairShare, type FairShare, type FairShareLimits, type ShareKeys } from './fair-share.ts';
import type { ExecutionHandler, ExecutionQueue } from './queue.ts';

/** A queued run's id, or urgent work with its own body. */
type Job = { readonly id: string; readonly work?: () => Promise<void> };

export interface LocalQueue extends Omit<ExecutionQueue, 'enqueue'> {
  enqueue(executionId: string, keys: ShareKeys): void;
  /** Runs `work` once the caps allow it, ahead of queued runs; resolves or rejects as it does. */
  runUrgent<R>(keys: ShareKeys, work: () => Promise<R>): Promise<R>;
  /** The caps every run of this process counts against (a shared queue's runs too). */
  readonly share: FairShare<Job>;
  /** A slot taken outside this queue was given back: starts what may start now. */
  wake(): void;
}

export function createLocalQueue(
  limits: FairShareLimits,
  onError: (error: unknown, executionId: string) => void,
): LocalQueue {
  const share = createFairShare<Job>(limits);
  let handler: ExecutionHandler | undefined;
  let stopped = false;
  let queued = 0;
  /** Queued runs waiting or running here: an id queued twice (start-up recovery meeting a fresh enqueue) runs once. */
  const held = new Set<string>();
  const inflight = new Set<Promise<void>>();

  function pump(): void {
    // Urgent work runs even before `start` and after `stop`: its caller waits for it.
    for (let next = share.take(!handler || stopped); next; next = share.take(!handler || stopped)) {
      const { item, keys } = next;
      if (!item.work) queued--;
      const body = item.work ?? (() => (handler as ExecutionHandler)(item.id));
      const work = body()
        .catch((error: unknown) => onError(error, item.id))
        .finally(() => {
          if (!item.work) held.delete(item.id);
          share.end(keys);
          inflight.delete(work);
          pump();
        });
      inflight.add(work);
    }
  }

  return {
    share,
    enqueue(executionId, keys) {
      if (held.has(executionId)) return;
      held.add(executionId);
      queued++;
      share.add({ id: executionId }, keys);
      // A new arrival enables no other run: while it is held too, there is nothing to look at.
      if (share.fits(keys)) pump();
    },
    runUrgent(keys, work) {
      return new Promise((resolve, reject) => {
        const id = '';
        share.add({ id, work: () => work().then(resolve, reject) }, keys, true);
        pump();
      });
    },
    wake: pump,
    start(next) {
      handler = next;
      stopped = false;
      pump();
    },
    async stop(graceMs) {
      stopped = true;
      if (inflight.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inflight]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    },
    depth: () => queued,
    active: () => share.running(),
    // This process is the only worker, from `start` until `stop`.
    status: async () => ({
      queue: 'local',
      waiting: queued,
      running: share.running(),
      workers: handler && !stopped ? 1 : 0,
    }),
  };
}
