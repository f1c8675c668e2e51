/**
 * NUL (U+0000) on both databases (PRODUCT.md §11): text people type is refused with a 400 that
 * names the field (PostgreSQL text cannot hold it, so it once answered 500); payload data keeps it,
 * byte for byte, from webhook bodies, variables, event data and outbound responses to the record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type StubServer, startStubServer } from './helpers/stub-server.ts';
import { type Envelope, type Execution, publishWorkflow, waitForExecution } from './helpers/workflows.ts';

const NUL = 'a\u0000b';

const echo = (extra: Record<string, unknown> = {}) => ({
  name: 'Echo',
  entity_id: ENTITY_ID,
  nodes: {
    start: { node_type: 'trigger_manual' },
    end: { node_type: 'flow_end', config: { final_output: { got: '{{ value }}' } } },
  },
  connections: [{ from_node_id: 'start', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' }],
  ...extra,
});

describe('NUL characters', () => {
  let t: TestApp;
  let owner: string;
  let stub: StubServer;
  before(async () => {
    t = await createTestApp({ ALLOW_PRIVATE_NETWORK: 'true' });
    owner = await t.token({ userId: 'owner', entities: [ENTITY_ID] });
    stub = await startStubServer(() => ({ status: 200, body: { echoed: NUL } }));
  });
  after(async () => {
    await stub.close();
    await t.close();
  });

  async function refused(method: 'POST' | 'PUT' | 'GET' | 'DELETE', url: string, field: string, payload?: object) {
    const response = await t.request({ method, url, token: owner, ...(payload ? { payload } : {}) });
    assert.equal(response.statusCode, 400, `${method} ${url} ${field}: ${response.body}`);
    const error = json<Envelope>(response).error;
    assert.equal(error?.code, 'BAD_REQUEST');
    assert.match(error?.message ?? '', new RegExp(`${field.replace(/\./g, '\\.')} must not contain NUL`));
  }

  it('refuses NUL in names, descriptions, labels, webhook names, grant targets and search, naming the field', async () => {
    await refused('POST', '/api/v1/workflows', 'body.name', echo({ name: NUL }));
    await refused('POST', '/api/v1/workflows', 'body.description', echo({ description: NUL }));
    const labelled = echo();
    (labelled.nodes.start as Record<string, unknown>).label = NUL;
    await refused('POST', '/api/v1/workflows', 'body.nodes.start.label', labelled);
    const id = await publishWorkflow(t, owner, echo());
    await refused('PUT', `/api/v1/workflows/${id}`, 'body.name', { name: NUL });
    await refused('PUT', `/api/v1/workflows/${id}`, 'body.description', { description: NUL });
    await refused('POST', `/api/v1/workflows/${id}/webhooks`, 'body.name', { name: NUL });
    await refused('PUT', `/api/v1/workflows/${id}/permissions`, 'body.target_id', {
      permission_type: 'user',
      target_id: NUL,
      can_view: true,
    });
    await refused(
      'GET',
      `/api/v1/workflows?entity_id=${ENTITY_ID}&search=${encodeURIComponent(NUL)}`,
      'querystring.search',
    );
    await refused('DELETE', `/api/v1/workflows/${id}/permissions/user/${encodeURIComponent(NUL)}`, 'params.target_id');
  });

  it('keeps NUL in global variables, request variables and node config intact', async () => {
    const id = await publishWorkflow(
      t,
      owner,
      echo({
        global_variables: { value: NUL, other: NUL },
        nodes: {
          start: { node_type: 'trigger_manual' },
          say: { node_type: 'action_chat_message', config: { message: `hi ${NUL}` } },
          end: { node_type: 'flow_end', config: { final_output: { got: '{{ value }}' } } },
        },
        connections: [
          { from_node_id: 'start', from_port_name: 'output', to_node_id: 'say', to_port_name: 'input' },
          { from_node_id: 'say', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' },
        ],
      }),
    );
    const stored = json<Envelope<{ global_variables: object; nodes: Record<string, { config: object }> }>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: owner }),
    ).data;
    assert.deepEqual(stored.global_variables, { value: NUL, other: NUL });
    assert.deepEqual(stored.nodes.say.config, { message: `hi ${NUL}` });
    const run = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/execute`,
      token: owner,
      payload: { variables: { value: `x${NUL}`, [`key${NUL}`]: NUL }, wait_for_completion: true },
    });
    assert.equal(run.statusCode, 200, run.body);
    const done = json<Envelope<Execution>>(run).data;
    const read = await waitForExecution(t, owner, done.execution_id);
    for (const execution of [done, read]) {
      assert.deepEqual(execution.final_output, { got: `x${NUL}` });
      assert.equal(execution.final_variables[`key${NUL}`], NUL);
      assert.equal(execution.outbox[0].payload.message, `hi ${NUL}`);
    }
  });

  it('keeps NUL in webhook bodies, event data and outbound responses intact', async () => {
    const hookFlow = await publishWorkflow(t, owner, {
      name: 'Hooked',
      entity_id: ENTITY_ID,
      nodes: {
        hook: { node_type: 'trigger_webhook' },
        call: { node_type: 'action_webhook', config: { url: `${stub.url}/echo`, body: { sent: '{{ text }}' } } },
        end: { node_type: 'flow_end', config: { final_output: { text: '{{ text }}' } } },
      },
      connections: [
        { from_node_id: 'hook', from_port_name: 'output', to_node_id: 'call', to_port_name: 'input' },
        { from_node_id: 'call', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' },
      ],
    });
    const created = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${hookFlow}/webhooks`,
      token: owner,
      payload: { name: 'nul', require_signature: false },
    });
    assert.equal(created.statusCode, 201, created.body);
    const { token } = json<Envelope<{ token: string }>>(created).data;
    const hooked = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/webhooks/${token}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ text: NUL }),
    });
    assert.equal(hooked.statusCode, 200, hooked.body);
    const fromHook = await waitForExecution(
      t,
      owner,
      json<Envelope<{ execution_id: string }>>(hooked).data.execution_id,
    );
    assert.equal(fromHook.status, 'completed', fromHook.error_message ?? '');
    assert.deepEqual(fromHook.final_output, { text: NUL });
    assert.deepEqual((fromHook.node_states.call.output_data as { body: unknown }).body, { echoed: NUL });
    assert.deepEqual(JSON.parse(stub.received.at(-1)?.body ?? '{}'), { sent: NUL });

    const eventFlow = await publishWorkflow(t, owner, {
      name: 'Evented',
      entity_id: ENTITY_ID,
      nodes: {
        on: { node_type: 'trigger_event', config: { event_type: 'follow' } },
        end: { node_type: 'flow_end', config: { final_output: { note: '{{ data.note }}' } } },
      },
      connections: [{ from_node_id: 'on', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' }],
    });
    const router = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
    const dispatched = await t.request({
      method: 'POST',
      url: '/api/v1/workflows/events',
      token: router,
      payload: {
        type: 'event',
        entity_id: ENTITY_ID,
        platform: 'twitch',
        user_id: 'u1',
        event_type: 'follow',
        data: { note: NUL },
      },
    });
    assert.equal(dispatched.statusCode, 202, dispatched.body);
    const matched =
      json<Envelope<{ matched: Array<{ workflow_id: string; execution_id: string }> }>>(dispatched).data.matched;
    const fromEvent = await waitForExecution(
      t,
      owner,
      matched.find((m) => m.workflow_id === eventFlow)?.execution_id as string,
    );
    assert.deepEqual(fromEvent.final_output, { note: NUL });
  });
});
