import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { runExecution } from './run.ts';
import type { RunSpan } from './spans.ts';

function spansOf(timeline: readonly RunSpan[], nodeId: string): RunSpan[] {
  return timeline.filter((span) => span.node_id === nodeId);
}

describe('the run timeline (spans)', () => {
  it('gives each loop iteration its own span, on the lane of the loop', async () => {
    const def = workflow(
      { t: ['trigger_manual'], fe: ['loop_foreach', { array_variable: 'items' }], b: ['step'], after: ['step'] },
      ['t -> fe', 'fe:loop -> b', 'b -> fe', 'fe:done -> after'],
    );
    const result = await runExecution(request(def, { variables: { items: [1, 2, 3] } }), fakeDeps());
    const body = spansOf(result.timeline, 'b');
    assert.deepEqual(
      body.map((s) => [s.run, s.attempt, s.lane, s.status]),
      [
        [1, 1, 0, 'completed'],
        [2, 1, 0, 'completed'],
        [3, 1, 0, 'completed'],
      ],
    );
    for (let i = 1; i < body.length; i++) assert.ok(body[i].start_ms >= (body[i - 1].end_ms as number));
    assert.deepEqual(
      result.timeline.map((s) => s.node_id),
      result.execution_path,
      'one span per run when nothing retries',
    );
    assert.equal(result.timeline_dropped, 0);
  });

  it('gives each retry attempt its own span', async () => {
    const def = workflow(
      { t: ['trigger_manual'], f: ['fail', { times: 2 }, { retry: { max_attempts: 3, backoff_ms: 5 } }] },
      ['t -> f'],
    );
    const result = await runExecution(request(def), fakeDeps({ random: () => 0 }));
    assert.deepEqual(
      spansOf(result.timeline, 'f').map((s) => [s.run, s.attempt, s.status]),
      [
        [1, 1, 'failed'],
        [1, 2, 'failed'],
        [1, 3, 'completed'],
      ],
    );
  });

  it('puts parallel branches on lanes of their own', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        p: ['flow_parallel'],
        a: ['probe', { delay_ms: 20 }],
        b: ['probe', { delay_ms: 20 }],
        m: ['flow_merge'],
      },
      ['t -> p', 'p -> a', 'p -> b', 'a -> m', 'b -> m'],
    );
    const result = await runExecution(request(def), fakeDeps());
    const [a] = spansOf(result.timeline, 'a');
    const [b] = spansOf(result.timeline, 'b');
    const [m] = spansOf(result.timeline, 'm');
    assert.notEqual(a.lane, 0);
    assert.notEqual(b.lane, 0);
    assert.notEqual(a.lane, b.lane);
    assert.equal(m.lane, 0, 'the merge continues on the main line');
    assert.ok(a.start_ms < (b.end_ms as number) && b.start_ms < (a.end_ms as number), 'they overlap');
  });

  it('closes the span a cancel cut off as cancelled', async () => {
    const controller = new AbortController();
    const def = workflow({ t: ['trigger_manual'], slow: ['probe', { delay_ms: 5000 }] }, ['t -> slow']);
    setTimeout(() => controller.abort(), 30);
    const result = await runExecution(request(def, { signal: controller.signal }), fakeDeps());
    assert.equal(result.status, 'cancelled');
    const [slow] = spansOf(result.timeline, 'slow');
    assert.equal(slow.status, 'cancelled');
    assert.ok((slow.end_ms as number) >= slow.start_ms);
  });
});
