import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { runExecution } from './run.ts';

const GUARD = { timeout: 5000 };

/** Highest number of probes running at the same time, from a start/end journal. */
function peakConcurrency(journal: readonly string[]): number {
  let running = 0;
  let peak = 0;
  for (const line of journal) {
    running += line.startsWith('start:') ? 1 : -1;
    peak = Math.max(peak, running);
  }
  return peak;
}

function fork(branches: number, options: { timeout?: number; delay?: number } = {}) {
  const nodes: Record<string, readonly [string, Record<string, unknown>?]> = {
    t: ['trigger_manual'],
    p: ['flow_parallel', options.timeout === undefined ? {} : { timeout_seconds: options.timeout }],
    m: ['flow_merge'],
    after: ['step'],
  };
  const edges = ['t -> p'];
  for (let i = 0; i < branches; i++) {
    nodes[`b${i}`] = ['probe', { delay_ms: options.delay ?? 30 }];
    edges.push(`p -> b${i}`, `b${i} -> m`);
  }
  edges.push('m -> after');
  return workflow(nodes, edges);
}

describe('runExecution: flow_parallel', () => {
  it('runs the branches concurrently and joins them at the merge', GUARD, async () => {
    const deps = fakeDeps();
    const result = await runExecution(request(fork(2), { triggerData: { n: 1 } }), deps);
    assert.equal(result.status, 'completed');
    assert.deepEqual(deps.journal.slice(0, 2).sort(), ['start:b0', 'start:b1'], 'both started before either ended');
    assert.equal(peakConcurrency(deps.journal), 2);
    assert.deepEqual(result.node_states.m.input_data, { b0: { n: 1 }, b1: { n: 1 } });
    assert.deepEqual(result.execution_path.slice(-2), ['m', 'after']);
    assert.equal(result.node_states.m.runs, undefined);
  });

  it('keeps at most MAX_PARALLEL_NODES nodes running at once', GUARD, async () => {
    const one = fakeDeps({ limits: { maxParallelNodes: 1 } });
    await runExecution(request(fork(2)), one);
    assert.equal(peakConcurrency(one.journal), 1);

    const two = fakeDeps({ limits: { maxParallelNodes: 2 } });
    const result = await runExecution(request(fork(4)), two);
    assert.equal(result.status, 'completed');
    assert.equal(peakConcurrency(two.journal), 2);
    assert.equal(two.journal.length, 8);
  });

  it('a branch waiting for a MAX_PARALLEL_NODES slot is not recorded as started', GUARD, async () => {
    const result = await runExecution(request(fork(2)), fakeDeps({ limits: { maxParallelNodes: 1 } }));
    assert.equal(result.status, 'completed');
    const [first, second] = [result.node_states.b0, result.node_states.b1].sort((x, y) =>
      String(x.started_at).localeCompare(String(y.started_at)),
    );
    // The second branch can only start once the first one's 30 ms probe is over.
    assert.ok(
      Date.parse(String(second.started_at)) >= Date.parse(String(first.started_at)) + 30,
      `second started ${second.started_at}, first started ${first.started_at}`,
    );
  });

  it('without flow_parallel a fan-out runs one branch after the other', GUARD, async () => {
    const deps = fakeDeps();
    const def = workflow({ t: ['trigger_manual'], a: ['probe', { delay_ms: 10 }], b: ['probe', { delay_ms: 10 }] }, [
      't -> a',
      't -> b',
    ]);
    await runExecution(request(def), deps);
    assert.deepEqual(deps.journal, ['start:a', 'end:a', 'start:b', 'end:b']);
  });

  it('fails the run when the branches outlive the flow_parallel timeout', GUARD, async () => {
    const result = await runExecution(request(fork(2, { timeout: 0.05, delay: 60_000 })), fakeDeps());
    assert.equal(result.status, 'failed');
    assert.equal(result.limit, 'parallel_timeout');
    assert.equal(result.error_node_id, 'p');
    assert.match(result.error_message ?? '', /flow_parallel timeout/);
  });

  it('a failing branch stops its siblings', GUARD, async () => {
    const deps = fakeDeps();
    const def = workflow(
      {
        t: ['trigger_manual'],
        p: ['flow_parallel'],
        slow: ['probe', { delay_ms: 60_000 }],
        bad: ['fail', { message: 'nope' }],
      },
      ['t -> p', 'p -> slow', 'p -> bad'],
    );
    const result = await runExecution(request(def), deps);
    assert.equal(result.status, 'failed');
    assert.equal(result.error_node_id, 'bad');
    assert.deepEqual(deps.journal, ['start:slow'], 'the slow branch was interrupted');
  });

  it('a merge behind parallel branches counts a branch skipped inside one of them as dead', GUARD, async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        p: ['flow_parallel'],
        a: ['probe', { delay_ms: 5 }],
        if: ['condition_if', { variable: 'go', equals: true }],
        x: ['step', { output: 'X' }],
        y: ['step'],
        b: ['probe', { delay_ms: 20 }],
        m: ['flow_merge'],
        after: ['step'],
      },
      [
        't -> p',
        'p -> a',
        'p -> b',
        'a -> if',
        'if:true -> x',
        'if:false -> y',
        'x -> m',
        'y -> m',
        'b -> m',
        'm -> after',
      ],
    );
    const result = await runExecution(request(def, { variables: { go: true }, triggerData: {} }), fakeDeps());
    assert.equal(result.status, 'completed');
    assert.equal(result.node_states.y.status, 'skipped');
    assert.equal(result.node_states.m.runs, undefined);
    assert.deepEqual(Object.keys(result.node_states.m.input_data as object).sort(), ['b', 'x']);
    assert.deepEqual(result.execution_path.slice(-2), ['m', 'after']);
  });
});
