/**
 * The executions list filtered by trigger source on the server: only that trigger's runs, the
 * pagination total counting the filtered rows, combined with status and include_test, and an
 * unknown trigger source refused with 400 BAD_REQUEST (the API's schema refusal), the runs left as they were.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TRIGGER_SOURCES } from '../src/services/execution-types.ts';
import { signWebhook } from '../src/webhooks/signature.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type Envelope, executeWorkflow, publishWorkflow, waitForExecution } from './helpers/workflows.ts';

type Summary = { execution_id: string; trigger_source: string; status: string; test_mode: boolean };
type Pagination = { page: number; per_page: number; total: number; total_pages: number; has_next: boolean };
type Problem = { code: string; message: string; details: { errors: string[] } };

/** manual or webhook trigger → if (n > 2) → chat message | end(failed) */
const gate = {
  name: 'Gate',
  entity_id: ENTITY_ID,
  community_id: 456,
  nodes: {
    start: { node_type: 'trigger_manual' },
    hook: { node_type: 'trigger_webhook' },
    check: { node_type: 'condition_if', config: { rules: [{ variable: 'n', operator: 'greater_than', value: 2 }] } },
    say: { node_type: 'action_chat_message', config: { message: 'n is {{ n }}' } },
    stop: { node_type: 'flow_end', config: { status: 'failed', error_message: 'n too small' } },
  },
  connections: [
    { from_node_id: 'start', from_port_name: 'output', to_node_id: 'check', to_port_name: 'input' },
    { from_node_id: 'hook', from_port_name: 'output', to_node_id: 'check', to_port_name: 'input' },
    { from_node_id: 'check', from_port_name: 'true', to_node_id: 'say', to_port_name: 'input' },
    { from_node_id: 'check', from_port_name: 'false', to_node_id: 'stop', to_port_name: 'input' },
  ],
};

describe('executions list: trigger_source filter', () => {
  let t: TestApp;
  let owner: string;
  let id: string;
  const webhookRuns: string[] = [];

  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner' });
    id = await publishWorkflow(t, owner, gate);
    const created = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/webhooks`,
      token: owner,
      payload: { name: 'CI' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const hook = json<Envelope<{ token: string; secret: string }>>(created).data;
    // Webhook runs: two that complete (n > 2), one that fails.
    for (const n of [5, 7, 1]) {
      const body = JSON.stringify({ n });
      const fired = await t.request({
        method: 'POST',
        url: `/api/v1/workflows/webhooks/${hook.token}`,
        headers: {
          'content-type': 'application/json',
          'x-webhook-signature': signWebhook(hook.secret, hook.token, Buffer.from(body)),
        },
        payload: body,
      });
      assert.equal(fired.statusCode, 200, fired.body);
      webhookRuns.push(json<Envelope<{ execution_id: string }>>(fired).data.execution_id);
    }
    for (const execution of webhookRuns) await waitForExecution(t, owner, execution);
    // API runs: one that completes, three that fail; and one test run.
    for (const n of [9, 1, 0, 2]) {
      const done = await executeWorkflow(t, owner, id, { variables: { n }, wait_for_completion: true });
      assert.equal(done.statusCode, 200, done.body);
    }
    const tested = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/test`,
      token: owner,
      payload: { variables: { n: 4 } },
    });
    assert.equal(tested.statusCode, 200, tested.body);
  });
  after(() => t.close());

  async function list(query: string): Promise<{ rows: Summary[]; pagination: Pagination }> {
    const response = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/${id}/executions?community_id=456&${query}`,
      token: owner,
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = json<Envelope<Summary[]>>(response);
    return { rows: body.data, pagination: body.meta?.pagination as unknown as Pagination };
  }

  it("answers only that trigger's runs, and the total counts only them", async () => {
    const webhook = await list('trigger_source=webhook');
    assert.deepEqual(webhook.rows.map((r) => r.execution_id).sort(), [...webhookRuns].sort());
    assert.equal(webhook.pagination.total, 3);
    const api = await list('trigger_source=api');
    assert.deepEqual(
      api.rows.map((r) => r.trigger_source),
      ['api', 'api', 'api', 'api'],
    );
    assert.equal(api.pagination.total, 4);
    assert.equal((await list('trigger_source=schedule')).pagination.total, 0);
    assert.equal((await list('')).pagination.total, 7, 'no filter: every run but the test run');
  });

  it('pages through the filtered runs', async () => {
    const first = await list('trigger_source=webhook&per_page=2&sort_order=asc');
    assert.deepEqual(first.pagination, {
      page: 1,
      per_page: 2,
      total: 3,
      total_pages: 2,
      has_next: true,
      has_prev: false,
    });
    const second = await list('trigger_source=webhook&per_page=2&page=2&sort_order=asc');
    assert.equal(second.rows.length, 1);
    assert.equal(second.pagination.has_next, false);
    const seen = [...first.rows, ...second.rows].map((r) => r.execution_id);
    assert.deepEqual(seen, webhookRuns, 'oldest first, each run once, in the order they were fired');
  });

  it('combines with status and include_test', async () => {
    const failedHooks = await list('trigger_source=webhook&status=failed');
    assert.deepEqual(
      failedHooks.rows.map((r) => r.execution_id),
      [webhookRuns[2]],
    );
    assert.equal(failedHooks.pagination.total, 1);
    const failedApi = await list('status=failed&trigger_source=api');
    assert.equal(failedApi.pagination.total, 3);
    assert.ok(failedApi.rows.every((r) => r.status === 'failed' && r.trigger_source === 'api'));
    // Test runs stay out unless asked for, whatever the trigger filter says.
    assert.equal((await list('trigger_source=test')).pagination.total, 0);
    const tests = await list('trigger_source=test&include_test=true');
    assert.equal(tests.pagination.total, 1);
    assert.equal(tests.rows[0].test_mode, true);
    assert.equal((await list('trigger_source=api&include_test=true')).pagination.total, 4);
  });

  it('refuses an unknown trigger source with 400, naming the allowed ones, runs unchanged', async () => {
    const before = await list('include_test=true&per_page=100');
    for (const bad of ['rerun', 'WEBHOOK', 'manual', '', 'webhook,api']) {
      const response = await t.request({
        method: 'GET',
        url: `/api/v1/workflows/${id}/executions?community_id=456&trigger_source=${encodeURIComponent(bad)}`,
        token: owner,
      });
      assert.equal(response.statusCode, 400, `${bad}: ${response.body}`);
      const error = json<Envelope>(response).error as unknown as Problem;
      assert.equal(error.code, 'BAD_REQUEST');
      assert.deepEqual(error.details.errors, [
        `querystring.trigger_source must be one of: ${TRIGGER_SOURCES.join(', ')}`,
      ]);
    }
    assert.deepEqual(await list('include_test=true&per_page=100'), before);
  });
});
