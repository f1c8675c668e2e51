/**
 * @module test/semantics-nodes
 * One run per node type through the HTTP API on the real database: the four ways a run starts
 * (command and event dispatch, webhook, API execute of a chosen trigger), the condition and data
 * nodes, action_webhook against a stub on 127.0.0.1, and the chat / module / browser-source
 * deliveries both to the outbox (no ROUTER_URL) and to a router stub.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { COMMUNITY_ID, ENTITY_ID } from './helpers/fixtures.ts';
import { type ReceivedRequest, type StubReply, startStubServer } from './helpers/stub-server.ts';
import { executeAndWait, publishWorkflow, waitForExecution, workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Nodes', entity_id: ENTITY_ID, community_id: COMMUNITY_ID });

/** A stub on 127.0.0.1 recording every request; `answer` decides the reply per path. */
const startStub = (answer: (path: string) => StubReply) => startStubServer((request) => answer(request.path));

/** The API calls every block needs, on one test app. */
function harness(getApp: () => TestApp, getToken: () => string) {
  return {
    publish: (definition: object) => publishWorkflow(getApp(), getToken(), definition),
    finished: (executionId: string) => waitForExecution(getApp(), getToken(), executionId),
    run: (definition: object, body?: Record<string, unknown>) => executeAndWait(getApp(), getToken(), definition, body),
  };
}

/** chat → module → browser source, the three router deliveries in one run. */
const deliveries = workflow(
  {
    start: ['trigger_manual'],
    say: ['action_chat_message', { message: 'Hi {{ user }}', destination: 'user_pm', user_id: '{{ user_id }}' }],
    mod: [
      'action_module',
      { module_name: 'shoutout', input_mapping: { target: '{{ user }}' }, output_mapping: { clip: 'result.clip_url' } },
    ],
    overlay: ['action_browser_source', { source_type: 'media', content: 'Welcome {{ user }}', duration: 5 }],
  },
  ['start -> say', 'say -> mod', 'mod -> overlay'],
);

describe('semantics: every node type, no router, private network allowed', () => {
  let t: TestApp;
  let owner: string;
  let stub: Awaited<ReturnType<typeof startStub>>;
  const api = harness(
    () => t,
    () => owner,
  );

  before(async () => {
    stub = await startStub((path) =>
      path.startsWith('/api') ? { status: 201, body: { created: true, id: 7 } } : { status: 404, body: {} },
    );
    t = await createTestApp({ ALLOW_PRIVATE_NETWORK: 'true' });
    owner = await t.token({ userId: 'owner' });
  });
  after(async () => {
    await t.close();
    await stub.close();
  });

  it('trigger_command: a dispatched command runs with its trigger data and answers in the same channel', async () => {
    const id = await api.publish(
      workflow(
        {
          cmd: ['trigger_command', { command_name: '!so' }],
          say: ['action_chat_message', { message: 'Go follow {{ args[0] }}! ({{ username }} asked)' }],
        },
        ['cmd -> say'],
      ),
    );
    const dispatcher = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/workflows/events',
      token: dispatcher,
      payload: {
        type: 'command',
        entity_id: 123,
        community_id: 456,
        platform: 'twitch',
        user_id: 'u-1',
        username: 'ana',
        channel_id: 'chan-9',
        message_id: 'm-1',
        message: '!so bob',
      },
    });
    assert.equal(response.statusCode, 202, response.body);
    const matched = json<{ data: { matched: Array<{ workflow_id: string; execution_id: string }> } }>(response).data
      .matched;
    const mine = matched.find((m) => m.workflow_id === id);
    assert.ok(mine, 'the workflow matched');
    const execution = await api.finished(mine.execution_id);
    assert.equal(execution.status, 'completed', execution.error_message ?? '');
    assert.equal(execution.trigger_source, 'command');
    assert.deepEqual(execution.execution_path, ['cmd', 'say']);
    assert.equal(execution.outbox.length, 1);
    assert.equal(execution.outbox[0].payload.message, 'Go follow bob! (ana asked)');
    assert.equal(execution.outbox[0].payload.platform, 'twitch');
    assert.equal(execution.outbox[0].payload.channel_id, 'chan-9');
  });

  it('trigger_event: an event matching event_filters runs; one that does not is not matched', async () => {
    const id = await api.publish(
      workflow(
        {
          on_sub: ['trigger_event', { event_type: 'subscription', event_filters: { 'data.tier': '3' } }],
          thank: ['data_variable_set', { variables: { thanked: '{{ username }}', tier: '{{ data.tier }}' } }],
        },
        ['on_sub -> thank'],
      ),
    );
    const dispatcher = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
    const send = (tier: string) =>
      t.request({
        method: 'POST',
        url: '/api/v1/workflows/events',
        token: dispatcher,
        payload: {
          type: 'event',
          event_type: 'subscription',
          entity_id: 123,
          community_id: 456,
          platform: 'twitch',
          user_id: 'u-2',
          username: 'cy',
          channel_id: 'chan-9',
          message_id: 'm-2',
          message: '',
          data: { tier },
        },
      });
    const miss = json<{ data: { matched: Array<{ workflow_id: string }> } }>(await send('1')).data.matched;
    assert.ok(!miss.some((m) => m.workflow_id === id), 'tier 1 does not pass the filter');
    const hit = json<{ data: { matched: Array<{ workflow_id: string; execution_id: string }> } }>(await send('3')).data
      .matched;
    const execution = await api.finished(hit.find((m) => m.workflow_id === id)?.execution_id ?? 'none');
    assert.equal(execution.status, 'completed');
    assert.equal(execution.trigger_source, 'event');
    assert.equal(execution.final_variables.thanked, 'cy');
    assert.equal(execution.final_variables.tier, '3');
  });

  it('trigger_webhook: a POST to the workflow webhook runs with the body keys as variables', async () => {
    const id = await api.publish(
      workflow(
        {
          hook: ['trigger_webhook'],
          note: [
            'data_variable_set',
            { variables: { announced: 'Release {{ release }}', ip: '{{ trigger.client_ip }}' } },
          ],
        },
        ['hook -> note'],
      ),
    );
    const created = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/webhooks`,
      token: owner,
      payload: { name: 'gh', require_signature: false },
    });
    assert.equal(created.statusCode, 201, created.body);
    const hookToken = json<{ data: { token: string } }>(created).data.token;
    const fired = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/webhooks/${hookToken}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"release":"v2.1"}',
    });
    assert.equal(fired.statusCode, 200, fired.body);
    const executionId = json<{ data: { execution_id: string } }>(fired).data.execution_id;
    const execution = await api.finished(executionId);
    assert.equal(execution.status, 'completed', execution.error_message ?? '');
    assert.equal(execution.trigger_source, 'webhook');
    assert.equal(execution.final_variables.announced, 'Release v2.1');
    assert.equal(typeof execution.final_variables.ip, 'string');
  });

  it('trigger_schedule and trigger_manual: execute runs the trigger_node_id given, else the manual triggers', async () => {
    const definition = workflow(
      {
        nightly: ['trigger_schedule', { cron: '0 3 * * *', timezone: 'Europe/Paris' }],
        manual: ['trigger_manual'],
        from_schedule: ['data_variable_set', { variables: { via: 'schedule' } }],
        from_manual: ['data_variable_set', { variables: { via: 'manual' } }],
      },
      ['nightly -> from_schedule', 'manual -> from_manual'],
    );
    const scheduled = await api.run(definition, { trigger_node_id: 'nightly' });
    assert.deepEqual(scheduled.execution_path, ['nightly', 'from_schedule']);
    assert.equal(scheduled.final_variables.via, 'schedule');
    const manual = await api.run(definition);
    assert.deepEqual(manual.execution_path, ['manual', 'from_manual']);
    assert.equal(manual.node_states.nightly.status, 'skipped');
  });

  it('condition_filter, data_variable_get, data_transform (jsonata and template) and action_delay', async () => {
    const result = await api.run(
      workflow(
        {
          start: ['trigger_manual'],
          big: [
            'condition_filter',
            {
              input_array: 'orders',
              rules: [{ variable: 'item.total', operator: 'greater_equal', value: '{{ threshold }}' }],
              output_variable: 'big_orders',
            },
          ],
          first: ['data_variable_get', { variable_name: 'big_orders[0].id', output_variable: 'first_id' }],
          missing: [
            'data_variable_get',
            { variable_name: 'nope.deep', output_variable: 'fallback', default_value: 'n/a' },
          ],
          sum: ['data_transform', { transformations: { big_total: '$sum(big_orders.total)' } }],
          label: [
            'data_transform',
            { expression_language: 'template', transformations: { label: '{{ first_id }}: {{ big_total }}' } },
          ],
          pause: ['action_delay', { delay_ms: 5000, delay_variable: 'pause_ms' }],
          end: ['flow_end', { final_output: { label: '{{ label }}', fallback: '{{ fallback }}' } }],
        },
        [
          'start -> big',
          'big -> first',
          'first -> missing',
          'missing -> sum',
          'sum -> label',
          'label -> pause',
          'pause -> end',
        ],
      ),
      {
        variables: {
          threshold: 50,
          pause_ms: 20,
          orders: [
            { id: 'a', total: 10 },
            { id: 'b', total: 60 },
            { id: 'c', total: 75 },
          ],
        },
      },
    );
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.deepEqual(result.final_variables.big_orders, [
      { id: 'b', total: 60 },
      { id: 'c', total: 75 },
    ]);
    assert.equal(result.final_variables.first_id, 'b');
    assert.equal(result.final_variables.big_total, 135);
    assert.deepEqual(result.final_output, { label: 'b: 135', fallback: 'n/a' });
    assert.deepEqual(result.node_states.pause.output_data, { delay_ms: 20 }, 'delay_variable overrides delay_ms');
  });

  it('action_webhook sends the templated method, headers, query and signed body to the stub', async () => {
    const result = await api.run(
      workflow(
        {
          start: ['trigger_manual'],
          call: [
            'action_webhook',
            {
              url: `${stub.url}/api/items/{{ item_id }}`,
              method: 'PUT',
              headers: { 'X-User': '{{ user }}' },
              query: { source: 'bot-{{ user }}' },
              body: { name: '{{ user }}', count: '{{ count }}' },
              signing_secret: 's3cret',
              output_variable: 'reply',
            },
          ],
        },
        ['start -> call'],
      ),
      { variables: { item_id: 'i-9', user: 'ana', count: 3 } },
    );
    assert.equal(result.status, 'completed', result.error_message ?? '');
    const request = stub.received.at(-1) as ReceivedRequest;
    assert.equal(request.method, 'PUT');
    assert.equal(request.path, '/api/items/i-9?source=bot-ana');
    assert.equal(request.headers['x-user'], 'ana');
    assert.deepEqual(JSON.parse(request.body), { name: 'ana', count: 3 });
    const expected = `sha256=${createHmac('sha256', 's3cret').update(request.body).digest('hex')}`;
    assert.equal(request.headers['x-webhook-signature'], expected);
    const reply = result.final_variables.reply as { status: number; body: unknown };
    assert.equal(reply.status, 201);
    assert.deepEqual(reply.body, { created: true, id: 7 });
  });

  it('without ROUTER_URL, chat, module and browser-source only go to the outbox and say so', async () => {
    const result = await api.run(deliveries, { variables: { user: 'ana', user_id: 'u-5' } });
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.deepEqual(
      result.outbox.map((entry) => [entry.node_id, entry.kind]),
      [
        ['say', 'chat_message'],
        ['mod', 'module'],
        ['overlay', 'browser_source'],
      ],
    );
    assert.equal(result.outbox[0].payload.message, 'Hi ana');
    assert.equal(result.outbox[0].payload.user_id, 'u-5');
    assert.deepEqual(result.outbox[1].payload.input, { target: 'ana' });
    assert.equal(result.outbox[2].payload.content, 'Welcome ana');
    for (const node of ['say', 'mod', 'overlay']) {
      assert.equal((result.node_states[node].output_data as { delivered: boolean }).delivered, false);
      assert.ok(
        result.node_states[node].logs.some((line) => /outbox, not delivered/.test(line)),
        `${node} logs that it was not delivered`,
      );
    }
    assert.equal(result.final_variables.clip, undefined, 'nothing to map without a module response');
  });
});

describe('semantics: deliveries through a router stub, private network refused', () => {
  let t: TestApp;
  let owner: string;
  let failModule = false;
  let router: Awaited<ReturnType<typeof startStub>>;
  const api = harness(
    () => t,
    () => owner,
  );

  before(async () => {
    router = await startStub((path) => {
      if (path === '/api/v1/execute-module') {
        return failModule
          ? { status: 400, body: { error: 'unknown module' } }
          : { status: 200, body: { result: { clip_url: 'https://clips.example/abc' } } };
      }
      return { status: 200, body: { ok: true } };
    });
    t = await createTestApp({ ROUTER_URL: router.url });
    owner = await t.token({ userId: 'owner' });
  });
  after(async () => {
    await t.close();
    await router.close();
  });

  it('chat, module and browser-source are POSTed to the router with their payloads', async () => {
    router.received.length = 0;
    failModule = false;
    const result = await api.run(deliveries, { community_id: 456, variables: { user: 'ana', user_id: 'u-5' } });
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.deepEqual(
      router.received.map((r) => `${r.method} ${r.path}`),
      ['POST /api/v1/send-message', 'POST /api/v1/execute-module', 'POST /api/v1/browser-source'],
    );
    const [chat, module, overlay] = router.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    assert.equal(chat.message, 'Hi ana');
    assert.equal(chat.destination, 'user_pm');
    assert.equal(chat.user_id, 'u-5');
    assert.equal(chat.entity_id, 123);
    assert.equal(chat.community_id, 456);
    assert.equal(chat.execution_id, result.execution_id);
    assert.equal(module.module_name, 'shoutout');
    assert.equal(module.module_version, 'latest');
    assert.deepEqual(module.input, { target: 'ana' });
    assert.equal(overlay.source_type, 'media');
    assert.equal(overlay.content, 'Welcome ana');
    assert.equal(overlay.duration, 5);
    assert.equal(result.final_variables.clip, 'https://clips.example/abc', 'output_mapping read the module response');
    assert.equal((result.node_states.say.output_data as { delivered: boolean }).delivered, true);
  });

  it('a router refusal fails the node, and its error port takes the token', async () => {
    router.received.length = 0;
    failModule = true;
    const result = await api.run(
      workflow(
        {
          start: ['trigger_manual'],
          mod: ['action_module', { module_name: 'ghost' }],
          handle: ['data_variable_set', { variables: { why: '{{ error.message }}' } }],
        },
        ['start -> mod', 'mod:error -> handle'],
      ),
    );
    assert.equal(result.status, 'completed');
    assert.equal(result.node_states.mod.status, 'failed');
    assert.match(String(result.final_variables.why), /400/);
    assert.equal(router.received.length, 1, 'a 400 is not retried');
  });

  it('action_webhook refuses a loopback address unless ALLOW_PRIVATE_NETWORK', async () => {
    router.received.length = 0;
    const result = await api.run(
      workflow({ start: ['trigger_manual'], call: ['action_webhook', { url: `${router.url}/api/v1/send-message` }] }, [
        'start -> call',
      ]),
    );
    assert.equal(result.status, 'failed');
    assert.equal(result.error_node_id, 'call');
    assert.match(result.error_message ?? '', /loopback address.*ALLOW_PRIVATE_NETWORK/);
    assert.equal(router.received.length, 0, 'nothing reached 127.0.0.1');
  });
});
