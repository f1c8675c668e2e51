/**
 * @module queue/local-queue
 * The in-process queue: a FIFO of execution ids and at most `concurrency` handlers at once.
 * Nothing is lost with it on a crash because each id is a stored `queued` row first; start-up
 * recovery queues those again.
 */
import type { ExecutionHandler, ExecutionQueue } from './queue.ts';

export function createLocalQueue(
  concurrency: number,
  onError: (error: unknown, executionId: string) => void,
): ExecutionQueue {
  const waiting: string[] = [];
  let head = 0;
  let running = 0;
  let handler: ExecutionHandler | undefined;
  let stopped = false;
  const inflight = new Set<Promise<void>>();

  function pump(): void {
    while (handler && !stopped && running < concurrency && head < waiting.length) {
      const id = waiting[head++];
      if (head > 1024 && head * 2 > waiting.length) {
        waiting.splice(0, head);
        head = 0;
      }
      running++;
      const work = handler(id)
        .catch((error: unknown) => onError(error, id))
        .finally(() => {
          running--;
          inflight.delete(work);
          pump();
        });
      inflight.add(work);
    }
  }

  return {
    enqueue(executionId) {
      waiting.push(executionId);
      pump();
    },
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
    depth: () => waiting.length - head,
    active: () => running,
    // This process is the only worker, from `start` until `stop`.
    status: async () => ({
      queue: 'local',
      waiting: waiting.length - head,
      running,
      workers: handler && !stopped ? 1 : 0,
    }),
  };
}
