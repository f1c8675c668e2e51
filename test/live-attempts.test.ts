/**
 * Live node events name the run, attempt and lane of what they report, so a watcher can draw
 * retries and parallel branches as the stored timeline has them: through the whole app on SQLite
 * or PostgreSQL, over a listening server's SSE stream and gRPC WatchExecution. The retried HTTP
 * call goes to a stub on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { startStubServer } from './helpers/stub-server.ts';
import { watchGrpc, watchSse } from './helpers/watchers.ts';
import { type Envelope, type NodeSpec, startWorkflow, workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Live attempts', entity_id: ENTITY_ID });

interface Span {
  node_id: string;
  run: number;
  attempt: number;
  lane: number;
  status: string;
}

describe('live events of retries and parallel branches', () => {
  let t: TestApp;
  let owner: string;
  let stub: Awaited<ReturnType<typeof startStubServer>>;
  let baseUrl: string;
  let answers: number[] = [];

  before(async () => {
    stub = await startStubServer(() => ({ status: answers.shift() ?? 200, body: { ok: true } }));
    t = await createTestApp({ ALLOW_PRIVATE_NETWORK: 'true' });
    owner = await t.token({ userId: '42' });
    const { port } = await t.app.listen();
    baseUrl = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await t.close();
    await stub.close();
  });

  it('carry the attempt of a retried node and the lane of each branch, on SSE and gRPC', async () => {
    answers = [500, 503];
    const definition = workflow(
      {
        start: ['trigger_manual'],
        fork: ['flow_parallel'],
        call: ['action_webhook', { url: `${stub.url}/flaky` }, { retry: { max_attempts: 3, backoff_ms: 40 } }],
        // Long enough that both watchers are on before the run ends, so they hear it live.
        wait: ['action_delay', { delay_ms: 800 }],
        join: ['flow_merge'],
      },
      ['start -> fork', 'fork -> call', 'fork -> wait', 'call -> join', 'wait -> join'],
    );
    const executionId = await startWorkflow(t, owner, definition);
    const sse = await watchSse(baseUrl, owner, executionId);
    const grpc = watchGrpc(t.app.features.grpc.port(), owner, executionId);
    const [fromSse, fromGrpc] = await Promise.all([sse.done, grpc.done]);

    const stored = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/executions/${executionId}?include_timeline=true`,
      token: owner,
    });
    const execution = json<Envelope<{ status: string; timeline: { spans: Span[] } }>>(stored).data;
    assert.equal(execution.status, 'completed');
    const spans = execution.timeline.spans;
    assert.deepEqual(
      spans.filter((s) => s.node_id === 'call').map((s) => [s.attempt, s.status]),
      [
        [1, 'failed'],
        [2, 'failed'],
        [3, 'completed'],
      ],
    );
    const laneOf = (node: string) => spans.find((s) => s.node_id === node)?.lane;
    assert.notEqual(laneOf('call'), laneOf('wait'), 'the branches run on lanes of their own');
    assert.equal(laneOf('join'), 0);

    for (const [name, events] of [
      ['SSE', fromSse],
      ['gRPC', fromGrpc],
    ] as const) {
      // One `running` event per stored span, naming the same run, attempt and lane.
      const heard = events.filter((e) => e.status === 'running' && !e.final).map(row);
      assert.deepEqual(heard.sort(), spans.map(row).sort(), name);
      const call = events.filter((e) => e.node_id === 'call').map((e) => [e.status, e.attempt, e.retrying === true]);
      assert.deepEqual(
        call,
        [
          ['running', 1, false],
          ['failed', 1, true],
          ['running', 2, false],
          ['failed', 2, true],
          ['running', 3, false],
          ['completed', 3, false],
        ],
        name,
      );
    }
  });

  it('reach a watcher who arrives between attempts, the failed one included', async () => {
    answers = [500, 503];
    const definition = workflow(
      {
        start: ['trigger_manual'],
        fork: ['flow_parallel'],
        call: ['action_webhook', { url: `${stub.url}/flaky` }, { retry: { max_attempts: 3, backoff_ms: 600 } }],
        // Recorded as completed after the call's first attempt failed, before the watcher comes.
        quick: ['action_delay', { delay_ms: 100 }],
        wait: ['action_delay', { delay_ms: 1500 }],
      },
      ['start -> fork', 'fork -> call', 'fork -> quick', 'fork -> wait'],
    );
    const executionId = await startWorkflow(t, owner, definition);
    for (let i = 0; i < 200; i++) {
      const read = await t.request({ method: 'GET', url: `/api/v1/workflows/executions/${executionId}`, token: owner });
      const states = json<Envelope<{ node_states: Record<string, { status: string }> }>>(read).data.node_states;
      if (states.quick?.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const { events } = await watchSse(baseUrl, owner, executionId).then((watcher) => watcher.done.then(() => watcher));
    const call = events.filter((e) => e.node_id === 'call').map((e) => [e.status, e.attempt, e.retrying === true]);
    assert.deepEqual(call, [
      ['running', 1, false],
      ['failed', 1, true],
      ['running', 2, false],
      ['failed', 2, true],
      ['running', 3, false],
      ['completed', 3, false],
    ]);
    const running = events.filter((e) => e.status === 'running').map((e) => e.node_id);
    assert.deepEqual(running.sort(), ['call', 'call', 'call', 'fork', 'quick', 'start', 'wait'], 'each run told once');
    assert.equal(events.at(-1)?.status, 'completed');
  });

  // A data_transform that throws fails at once; with no backoff its attempts share a millisecond.
  const boom: NodeSpec = [
    'data_transform',
    { transformations: { x: '$error("boom")' } },
    { retry: { max_attempts: 3, backoff_ms: 0 } },
  ];
  /**
   * The clock stands still through these runs (timers still run): every event of the run has the
   * same `at`, as attempts that fail at once do within one millisecond, here without fail.
   */
  const frozen = () => mock.timers.enable({ apis: ['Date'], now: Date.now() });
  const boomHeard = [
    ['running', 1, false],
    ['failed', 1, true],
    ['running', 2, false],
    ['failed', 2, true],
    ['running', 3, false],
    ['failed', 3, false],
  ];

  it('tell every attempt of a node retried with no backoff, to a watcher who was there', async (test) => {
    frozen();
    test.after(() => mock.timers.reset());
    const definition = workflow(
      {
        start: ['trigger_manual'],
        // Long enough that the watcher is on before the node runs.
        pause: ['action_delay', { delay_ms: 600 }],
        boom,
        handle: ['flow_end', { final_output: { handled: true } }],
      },
      ['start -> pause', 'pause -> boom', 'boom:error -> handle'],
    );
    const executionId = await startWorkflow(t, owner, definition);
    const events = await (await watchSse(baseUrl, owner, executionId)).done;
    assert.equal(new Set(events.map((e) => e.at)).size, 1, 'the whole run within one (frozen) millisecond');
    const heard = events.filter((e) => e.node_id === 'boom').map((e) => [e.status, e.attempt, e.retrying === true]);
    assert.deepEqual(heard, boomHeard);
    assert.equal(events.at(-1)?.status, 'completed');
  });

  it('tell every attempt of a node retried with no backoff, to a watcher who comes after it', async (test) => {
    frozen();
    test.after(() => mock.timers.reset());
    const definition = workflow(
      {
        start: ['trigger_manual'],
        boom,
        wait: ['action_delay', { delay_ms: 1000 }],
      },
      ['start -> boom', 'boom:error -> wait'],
    );
    const executionId = await startWorkflow(t, owner, definition);
    for (let i = 0; i < 200; i++) {
      const read = await t.request({ method: 'GET', url: `/api/v1/workflows/executions/${executionId}`, token: owner });
      const states = json<Envelope<{ node_states: Record<string, { status: string }> }>>(read).data.node_states;
      if (states.wait) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const events = await (await watchSse(baseUrl, owner, executionId)).done;
    assert.equal(new Set(events.map((e) => e.at)).size, 1, 'the whole run within one (frozen) millisecond');
    const heard = events.filter((e) => e.node_id === 'boom').map((e) => [e.status, e.attempt, e.retrying === true]);
    assert.deepEqual(heard, boomHeard);
    assert.deepEqual(
      events.filter((e) => e.node_id === 'wait').map((e) => e.status),
      ['running', 'completed'],
    );
    assert.equal(events.at(-1)?.status, 'completed');
  });
});

/** A span or a `running` event as one comparable line. */
function row(e: { node_id: string | null; run?: number; attempt?: number; lane?: number }): string {
  return `${e.node_id} run ${e.run} attempt ${e.attempt} lane ${e.lane}`;
}
