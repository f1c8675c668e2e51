/**
 * @module queue/queue.suite
 * The one behaviour suite every ExecutionQueue implementation must pass (run from
 * local-queue.test.ts and bullmq-queue.test.ts for Redis): each run once, never more at once than
 * the concurrency, a stop that waits for the runs in hand, and the counts operators see.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ExecutionQueue } from './queue.ts';

export interface QueueHarness {
  readonly queue: ExecutionQueue;
  /** Stops and closes the queue and removes what it stored. */
  dispose(): Promise<void>;
}

/** Until `done()` holds: a shared queue hands jobs over asynchronously. */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A handler whose runs wait until released; records what ran and the most running at once. */
function gatedHandler() {
  const started: string[] = [];
  const finished: string[] = [];
  const gates = new Map<string, () => void>();
  let running = 0;
  let most = 0;
  return {
    started,
    finished,
    most: () => most,
    release(executionId: string) {
      gates.get(executionId)?.();
    },
    releaseAll() {
      for (const open of gates.values()) open();
    },
    async handler(executionId: string) {
      started.push(executionId);
      running++;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.set(executionId, resolve));
      running--;
      finished.push(executionId);
    },
  };
}

export function runQueueSuite(name: string, open: (concurrency: number) => Promise<QueueHarness>): void {
  describe(`execution queue contract (${name})`, () => {
    it('runs every enqueued id once, an id enqueued twice while it waits too', async () => {
      const { queue, dispose } = await open(4);
      try {
        const ids = [randomUUID(), randomUUID(), randomUUID()];
        for (const id of ids) queue.enqueue(id);
        queue.enqueue(ids[0]);
        const runs = gatedHandler();
        queue.start(runs.handler);
        await waitFor(() => runs.started.length === ids.length);
        runs.releaseAll();
        await waitFor(() => runs.finished.length === ids.length);
        assert.deepEqual([...runs.started].sort(), [...ids].sort());
      } finally {
        await dispose();
      }
    });

    it('never runs more than its concurrency at once, and counts the ones running', async () => {
      const { queue, dispose } = await open(2);
      try {
        const runs = gatedHandler();
        queue.start(runs.handler);
        const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
        for (const id of ids) queue.enqueue(id);
        await waitFor(() => runs.started.length === 2);
        assert.equal(queue.active(), 2);
        while (runs.finished.length < ids.length) {
          const next = runs.started.find((id) => !runs.finished.includes(id));
          if (next) runs.release(next);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        assert.equal(runs.most(), 2);
        assert.deepEqual([...runs.started].sort(), [...ids].sort());
        assert.equal(queue.active(), 0);
        const status = await queue.status();
        assert.equal(status.waiting, 0);
        assert.equal(status.running, 0);
      } finally {
        await dispose();
      }
    });

    it('stops taking work and waits for the runs in hand', async () => {
      const { queue, dispose } = await open(1);
      try {
        const runs = gatedHandler();
        queue.start(runs.handler);
        const first = randomUUID();
        queue.enqueue(first);
        await waitFor(() => runs.started.length === 1);
        const stopped = queue.stop(30_000).then(() => [...runs.finished]);
        queue.enqueue(randomUUID());
        runs.release(first);
        assert.deepEqual(await stopped, [first]);
        assert.deepEqual(runs.started, [first]);
      } finally {
        await dispose();
      }
    });
  });
}
