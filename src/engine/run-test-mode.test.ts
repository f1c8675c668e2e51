import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SECRET_MASK } from '../core/secrets.ts';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { runExecution } from './run.ts';
import { testSummary, testTrace } from './trace.ts';

const sideEffects = workflow(
  {
    t: ['trigger_manual'],
    chat: ['action_chat_message', { message: 'hi' }],
    hook: [
      'action_webhook',
      { url: 'https://example.com/x', headers: { Authorization: 'Bearer s3cret', 'X-Plain': 'ok' }, body: { a: 1 } },
    ],
  },
  ['t -> chat', 'chat -> hook'],
);

describe('runExecution: test mode and mock outputs', () => {
  it('test mode records side effects instead of delivering them', async () => {
    const deps = fakeDeps();
    const result = await runExecution(request(sideEffects, { testMode: true }), deps);
    assert.equal(result.status, 'completed');
    assert.equal(deps.sent.length, 0, 'nothing reached the delivery port');
    assert.equal(deps.requests.length, 0, 'nothing reached the HTTP port');
    assert.equal(result.outbox.length, 2);
    const [chat, hook] = result.outbox;
    assert.equal(chat.kind, 'chat_message');
    assert.deepEqual(chat.payload, { message: 'hi' });
    assert.equal(chat.simulated, true);
    assert.equal(chat.delivered, false);
    assert.equal(hook.kind, 'http');
    assert.deepEqual(hook.payload, {
      method: 'POST',
      url: 'https://example.com/x',
      headers: { Authorization: SECRET_MASK, 'X-Plain': 'ok' },
      body: '{"a":1}',
    });
    assert.deepEqual((result.node_states.hook.output_data as { body: unknown }).body, { simulated: true });
    assert.ok(result.node_states.chat.logs.some((line) => line.includes('test mode')));
  });

  it('outside test mode side effects go through the ports and are recorded in the outbox', async () => {
    const deps = fakeDeps();
    const result = await runExecution(request(sideEffects), deps);
    assert.equal(deps.sent.length, 1);
    assert.equal(deps.requests.length, 1);
    assert.deepEqual(
      result.outbox.map((entry) => [entry.kind, entry.delivered, entry.simulated, entry.status]),
      [
        ['chat_message', true, false, 200],
        ['http', true, false, 200],
      ],
    );
  });

  it('test mode does not wait in action_delay but logs the delay', { timeout: 5000 }, async () => {
    const def = workflow({ t: ['trigger_manual'], d: ['action_delay', { delay_ms: 60_000 }] }, ['t -> d']);
    const result = await runExecution(request(def, { testMode: true }), fakeDeps());
    assert.equal(result.status, 'completed');
    assert.ok(result.node_states.d.logs.some((line) => line.includes('would wait 60000 ms')));
  });

  it('mock_outputs replace node execution and pick ports sensibly', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        c1: ['condition_if', { variable: 'x', equals: 1 }],
        yes1: ['step'],
        no1: ['step'],
        c2: ['condition_if', { variable: 'x', equals: 1 }],
        yes2: ['step'],
        no2: ['step'],
        c3: ['condition_if', { variable: 'x', equals: 1 }],
        yes3: ['step'],
        no3: ['step'],
        hook: ['action_webhook'],
        fe: ['loop_foreach', { array_variable: 'missing' }],
        body: ['step'],
        done: ['step'],
      },
      [
        't -> c1',
        'c1:true -> yes1',
        'c1:false -> no1',
        't -> c2',
        'c2:true -> yes2',
        'c2:false -> no2',
        't -> c3',
        'c3:true -> yes3',
        'c3:false -> no3',
        't -> hook',
        'hook -> fe',
        'fe:loop -> body',
        'fe:done -> done',
      ],
    );
    const deps = fakeDeps();
    const result = await runExecution(
      request(def, {
        variables: { x: 1 },
        mockOutputs: {
          c1: false,
          c2: { port: 'false', output: { why: 'pinned' } },
          c3: { anything: true },
          hook: { status: 201, body: 'mocked' },
          fe: { count: 0 },
        },
      }),
      deps,
    );
    assert.equal(result.status, 'completed');
    assert.equal(result.node_states.no1.status, 'completed', 'a boolean mock picks that port');
    assert.equal(result.node_states.yes1.status, 'skipped');
    assert.equal(result.node_states.no2.status, 'completed', 'a port hint picks that port');
    assert.deepEqual(result.node_states.c2.output_data, { why: 'pinned' });
    assert.equal(result.node_states.yes3.status, 'completed', 'a condition without a hint goes to true');
    assert.equal(deps.requests.length, 0, 'a mocked node is not executed');
    assert.deepEqual(result.node_states.hook.output_data, { status: 201, body: 'mocked' });
    assert.equal(result.node_states.body.status, 'skipped', 'a mocked loop continues at done');
    assert.deepEqual(result.node_states.done.input_data, { count: 0 });
    assert.ok(result.node_states.hook.logs.some((line) => line.includes('mock_outputs')));
  });

  it('derives the test trace and summary from the record', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        if: ['condition_if', { variable: 'go', equals: true }],
        a: ['step', { log: 'hello' }],
        b: ['step'],
      },
      ['t -> if', 'if:true -> a', 'if:false -> b'],
    );
    const result = await runExecution(request(def, { testMode: true, variables: { go: true } }), fakeDeps());
    const trace = testTrace(result);
    assert.deepEqual(
      trace.map((entry) => [entry.node_id, entry.status]),
      [
        ['t', 'completed'],
        ['if', 'completed'],
        ['a', 'completed'],
        ['b', 'skipped'],
      ],
    );
    assert.deepEqual(trace[2].logs, ['hello']);
    assert.deepEqual(trace[1].output, { result: true });
    const summary = testSummary(result);
    assert.equal(summary.passed, true);
    assert.equal(summary.nodes_executed, 3);
    assert.equal(summary.nodes_skipped, 1);
  });
});
