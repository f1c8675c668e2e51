import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFairShare, type ShareKeys } from './fair-share.ts';

const run = (workflowId: string, entityId: number, maxParallel?: number): ShareKeys => ({
  workflowId,
  entityId,
  maxParallel,
});

/** Takes until nothing more may start; answers the items in the order handed out. */
function drain<T>(share: ReturnType<typeof createFairShare<T>>): T[] {
  const out: T[] = [];
  for (let next = share.take(); next; next = share.take()) out.push(next.item);
  return out;
}

describe('fair share', () => {
  it('caps one entity so that another entity still starts', () => {
    const share = createFairShare<string>({ concurrency: 4, entityConcurrency: 2 });
    for (let i = 0; i < 10; i++) share.add(`a${i}`, run('wa', 1));
    share.add('b0', run('wb', 2));
    assert.deepEqual(drain(share), ['a0', 'a1', 'b0']);
    assert.equal(share.running(), 3);
    assert.equal(share.waiting(), 8);
  });

  it('runs a workflow capped at 1 one at a time, in arrival order', () => {
    const share = createFairShare<string>({ concurrency: 10, entityConcurrency: 10 });
    const keys = run('w', 1, 1);
    for (const id of ['r1', 'r2', 'r3']) share.add(id, keys);
    const order: string[] = [];
    for (let next = share.take(); next; next = share.take()) {
      order.push(next.item);
      assert.equal(share.take(), undefined, 'a second run of the workflow may not start');
      share.end(next.keys);
    }
    assert.deepEqual(order, ['r1', 'r2', 'r3']);
  });

  it('starts the earliest arrival among the workflows that may start', () => {
    const share = createFairShare<string>({ concurrency: 10, entityConcurrency: 10 });
    share.add('x1', run('x', 1, 1));
    share.add('x2', run('x', 1, 1));
    share.add('y1', run('y', 1));
    assert.deepEqual(drain(share), ['x1', 'y1']);
    share.end(run('x', 1, 1));
    assert.deepEqual(drain(share), ['x2']);
  });

  it('puts urgent work first, within the process and entity caps', () => {
    const share = createFairShare<string>({ concurrency: 2, entityConcurrency: 1 });
    share.add('queued', run('w', 1));
    share.add('test-a', { workflowId: null, entityId: 1 }, true);
    share.add('test-b', { workflowId: null, entityId: 2 }, true);
    // test-a first; entity 1 is then full, so test-b (entity 2) goes before the queued run.
    assert.deepEqual(drain(share), ['test-a', 'test-b']);
    share.end({ workflowId: null, entityId: 1 });
    assert.deepEqual(drain(share), ['queued']);
  });

  it('refuses a run from elsewhere when a cap is full or its workflow has runs waiting here', () => {
    const share = createFairShare<string>({ concurrency: 3, entityConcurrency: 2 });
    assert.equal(share.tryStart(run('w', 1, 1)), true);
    assert.equal(share.tryStart(run('w', 1, 1)), false, 'workflow cap');
    assert.equal(share.tryStart(run('v', 1)), true);
    assert.equal(share.tryStart(run('u', 1)), false, 'entity cap');
    assert.equal(share.tryStart(run('u', 2)), true);
    assert.equal(share.tryStart(run('t', 3)), false, 'process cap');
    share.end(run('u', 2));
    share.add('waiting', run('t', 3, 1));
    assert.equal(share.tryStart(run('t', 3, 1)), false, 'one of its workflow waits here');
    assert.deepEqual(drain(share), ['waiting']);
  });

  it('does not count test runs against a workflow cap', () => {
    const share = createFairShare<string>({ concurrency: 10, entityConcurrency: 10 });
    assert.equal(share.tryStart({ workflowId: null, entityId: 1 }), true);
    assert.equal(share.tryStart(run('w', 1, 1)), true);
  });
});
