/**
 * POST …/test behaves like a real run where PRODUCT.md §5 says so: an archived workflow is 404 as
 * for execute, a command `message` in trigger_data yields `args` through the events' builder, and
 * mock_outputs naming a node the workflow lacks is 400; mock_errors fails a node at once, without
 * retries, so its error branch can be tested.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type Envelope, publishWorkflow, workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Parity', entity_id: ENTITY_ID });
const SHOUTOUT = workflow(
  {
    cmd: ['trigger_command', { command_name: '!so' }],
    say: ['action_chat_message', { message: 'Go follow {{ args[0] }}!' }],
  },
  ['cmd -> say'],
);

type Trace = Array<{ node_id: string; output: Record<string, unknown> | null }>;

describe('/test parity with real runs', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner' });
  });
  after(() => t.close());

  const test = (id: string, payload: object) =>
    t.request({ method: 'POST', url: `/api/v1/workflows/${id}/test`, token: owner, payload });

  it('builds command trigger data from a message as events do', async () => {
    const id = await publishWorkflow(t, owner, SHOUTOUT);
    const response = await test(id, { trigger_data: { message: '!so ninja', username: 'ann' } });
    assert.equal(response.statusCode, 200, response.body);
    const trace = json<Envelope<{ trace: Trace }>>(response).data.trace;
    const trigger = trace.find((entry) => entry.node_id === 'cmd')?.output;
    assert.deepEqual(
      [trigger?.command, trigger?.args, trigger?.args_text, trigger?.username],
      ['!so', ['ninja'], 'ninja', 'ann'],
    );
    const said = trace.find((entry) => entry.node_id === 'say')?.output as { payload?: { message: string } };
    assert.equal(JSON.stringify(said).includes('Go follow ninja!'), true, JSON.stringify(said));
  });

  it('refuses mock_outputs for a node the workflow does not have', async () => {
    const id = await publishWorkflow(t, owner, SHOUTOUT);
    const response = await test(id, { mock_outputs: { say: { ok: true }, nope: {} } });
    assert.equal(response.statusCode, 400, response.body);
    const error = json<Envelope>(response).error;
    assert.equal(error?.code, 'BAD_REQUEST');
    assert.match(error?.message ?? '', /nope/);
    assert.doesNotMatch(error?.message ?? '', /say/);
  });

  it('fails a node named by mock_errors without retrying, taking its error port', async () => {
    const id = await publishWorkflow(
      t,
      owner,
      workflow(
        {
          cmd: ['trigger_command', { command_name: '!so' }],
          call: ['action_webhook', { url: 'https://example.com/x', method: 'GET' }, { retry: { max_attempts: 3 } }],
          ok: ['action_chat_message', { message: 'fine' }],
          sorry: ['action_chat_message', { message: 'failed: {{ error.message }}' }],
        },
        ['cmd -> call', 'call -> ok', 'call:error -> sorry'],
      ),
    );
    const response = await test(id, { trigger_data: { message: '!so' }, mock_errors: { call: 'api is down' } });
    assert.equal(response.statusCode, 200, response.body);
    const trace =
      json<Envelope<{ trace: Array<Trace[number] & { status: string; attempts?: number }> }>>(response).data.trace;
    const byId = Object.fromEntries(trace.map((entry) => [entry.node_id, entry]));
    assert.equal(byId.ok?.status, 'skipped', JSON.stringify(trace));
    assert.equal(byId.sorry?.status, 'completed', JSON.stringify(trace));
    assert.equal(JSON.stringify(byId.sorry?.output).includes('failed: api is down'), true, JSON.stringify(trace));
    const refused = await test(id, { mock_errors: { nope: 'x' } });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.match(json<Envelope>(refused).error?.message ?? '', /mock_errors.*nope/);
  });

  it('answers 404 for an archived workflow, as execute does', async () => {
    const id = await publishWorkflow(t, owner, SHOUTOUT);
    assert.equal((await t.request({ method: 'DELETE', url: `/api/v1/workflows/${id}`, token: owner })).statusCode, 200);
    const tested = await test(id, {});
    const executed = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/execute`,
      token: owner,
      payload: {},
    });
    assert.equal(tested.statusCode, 404);
    assert.deepEqual(json(tested), json(executed));
  });
});
