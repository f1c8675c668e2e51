import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalQueue } from './local-queue.ts';
import { runQueueSuite } from './queue.suite.ts';

const keys = (workflowId: string, entityId: number, maxParallel?: number) => ({ workflowId, entityId, maxParallel });

/** A handler whose runs end when the test says so. */
function controlledHandler() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const handler = (id: string) =>
    new Promise<void>((resolve) => {
      started.push(id);
      finish.set(id, resolve);
    });
  const end = async (id: string) => {
    finish.get(id)?.();
    // The queue starts the next run once the ended one's promise settled.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, handler, end };
}

describe('local queue', () => {
  it('runs an id queued twice once (start-up recovery meeting a fresh enqueue)', async () => {
    const queue = createLocalQueue({ concurrency: 4, entityConcurrency: 4 }, () => {});
    const { started, handler, end } = controlledHandler();
    queue.enqueue('r1', keys('w', 1));
    queue.start(handler);
    queue.enqueue('r1', keys('w', 1));
    assert.deepEqual(started, ['r1']);
    assert.equal(queue.depth(), 0);
    await end('r1');
    assert.deepEqual(started, ['r1']);
  });

  it('starts urgent work before queued runs, and even before start', async () => {
    const queue = createLocalQueue({ concurrency: 1, entityConcurrency: 1 }, () => {});
    const { started, handler, end } = controlledHandler();
    queue.enqueue('queued', keys('w', 1));
    const urgent = queue.runUrgent({ workflowId: null, entityId: 1 }, async () => 'tested');
    assert.equal(await urgent, 'tested');
    await new Promise((resolve) => setImmediate(resolve));
    queue.start(handler);
    assert.deepEqual(started, ['queued']);
    const second = queue.runUrgent({ workflowId: null, entityId: 1 }, async () => 'after');
    await end('queued');
    assert.equal(await second, 'after');
  });
});

// The shared contract, with every run under the same keys (no entity or workflow cap in play).
runQueueSuite('single process', async (concurrency) => {
  const local = createLocalQueue({ concurrency, entityConcurrency: concurrency }, () => {});
  return {
    queue: { ...local, enqueue: (executionId: string) => local.enqueue(executionId, keys('w', 1)) },
    dispose: () => local.stop(5000),
  };
});
