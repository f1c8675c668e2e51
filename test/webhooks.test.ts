/**
 * Webhook management API (reference "Webhook API", PRODUCT.md §9): create answers the token, url
 * and secret once; list is paginated and never shows the secret; update, rotate-secret, delete;
 * input validation; permissions; statistics after triggers; archived workflows stop answering.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signWebhook } from '../src/webhooks/signature.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, webhookWorkflow } from './helpers/fixtures.ts';
import { createWorkflow, type Envelope } from './helpers/workflows.ts';

interface Webhook {
  webhook_id: string;
  workflow_id: string;
  token: string;
  url: string;
  secret?: string;
  name: string;
  description: string;
  enabled: boolean;
  require_signature: boolean;
  ip_allowlist: string[];
  rate_limit_max: number;
  rate_limit_window: number;
  created_at: string;
  updated_at: string;
  last_triggered_at: string | null;
  trigger_count: number;
}

const BASE_URL = 'https://hooks.example.com';

describe('webhook management', () => {
  let t: TestApp;
  let owner: string;

  before(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: BASE_URL });
    owner = await t.token({ userId: '42', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  async function workflow(publish = true): Promise<string> {
    const id = await createWorkflow(t, owner, webhookWorkflow());
    if (publish) {
      const published = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner });
      assert.equal(published.statusCode, 200, published.body);
    }
    return id;
  }

  async function create(workflowId: string, body: Record<string, unknown> = { name: 'GitHub' }) {
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${workflowId}/webhooks`,
      token: owner,
      payload: body,
    });
    assert.equal(response.statusCode, 201, response.body);
    return json<Envelope<Webhook>>(response);
  }

  async function fire(hook: Pick<Webhook, 'token'>, secret: string, body = '{"release":"v1"}') {
    return t.request({
      method: 'POST',
      url: `/api/v1/workflows/webhooks/${hook.token}`,
      headers: {
        'content-type': 'application/json',
        'x-webhook-signature': signWebhook(secret, hook.token, Buffer.from(body)),
      },
      payload: body,
    });
  }

  it('creates a webhook with a random token, its url, the defaults and the secret once', async () => {
    const id = await workflow();
    const created = await create(id, {
      name: 'GitHub Webhook',
      description: 'releases',
      ip_allowlist: ['192.168.1.0/24', '10.0.0.1', '2001:db8::/32'],
      community_id: 456,
    });
    assert.equal(created.message, 'Webhook created successfully');
    const hook = created.data;
    assert.match(hook.webhook_id, /^[0-9a-f-]{36}$/);
    assert.equal(hook.workflow_id, id);
    assert.match(hook.token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes in base64url');
    assert.equal(Buffer.from(hook.token, 'base64url').length, 32);
    assert.equal(hook.url, `${BASE_URL}/api/v1/workflows/webhooks/${hook.token}`);
    assert.equal(typeof hook.secret, 'string');
    assert.ok((hook.secret as string).length >= 32);
    assert.equal(hook.name, 'GitHub Webhook');
    assert.equal(hook.enabled, true);
    assert.equal(hook.require_signature, true);
    assert.equal(hook.rate_limit_max, 60);
    assert.equal(hook.rate_limit_window, 60);
    assert.deepEqual(hook.ip_allowlist, ['192.168.1.0/24', '10.0.0.1', '2001:db8::/32']);
    assert.equal(hook.trigger_count, 0);
    assert.equal(hook.last_triggered_at, null);
    assert.ok(!Number.isNaN(Date.parse(hook.created_at)));

    const other = await create(id);
    assert.notEqual(other.data.token, hook.token);
    assert.notEqual(other.data.secret, hook.secret);
  });

  it('lists webhooks paginated and never shows the secret again', async () => {
    const id = await workflow();
    const names = ['a', 'b', 'c'];
    for (const name of names) await create(id, { name });
    const page1 = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/${id}/webhooks?page=1&per_page=2`,
      token: owner,
    });
    assert.equal(page1.statusCode, 200, page1.body);
    const body = json<Envelope<Webhook[]>>(page1);
    assert.equal(body.message, 'Retrieved 2 webhooks');
    assert.deepEqual(
      body.data.map((w) => w.name),
      ['a', 'b'],
    );
    assert.deepEqual(body.meta?.pagination, {
      page: 1,
      per_page: 2,
      total: 3,
      total_pages: 2,
      has_next: true,
      has_prev: false,
    });
    for (const hook of body.data) {
      assert.equal('secret' in hook, false);
      assert.ok(hook.url.endsWith(hook.token));
    }
    assert.doesNotMatch(page1.body, /"secret"/);
    const page2 = json<Envelope<Webhook[]>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/webhooks?page=2&per_page=2`, token: owner }),
    );
    assert.deepEqual(
      page2.data.map((w) => w.name),
      ['c'],
    );
    const past = json<Envelope<Webhook[]>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/webhooks?page=9`, token: owner }),
    );
    assert.deepEqual(past.data, []);
    for (const query of ['per_page=101', 'per_page=0', 'page=0']) {
      const bad = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/webhooks?${query}`, token: owner });
      assert.equal(bad.statusCode, 400, query);
    }
  });

  it('refuses invalid settings, naming the problem', async () => {
    const id = await workflow();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'x', ip_allowlist: ['10.0.0.0/33'] }, /ip_allowlist\[0\]/],
      [{ name: 'x', ip_allowlist: ['not-an-ip'] }, /ip_allowlist\[0\]/],
      [{ name: 'x', ip_allowlist: ['10.0.0.1', '2001:db8::/129'] }, /ip_allowlist\[1\]/],
      [{ name: 'x', rate_limit_max: 0 }, /rate_limit_max/],
      [{ name: 'x', rate_limit_window: 0 }, /rate_limit_window/],
      [{ name: 'x', rate_limit_max: 1_000_000_000 }, /rate_limit_max/],
      [{ name: 'x', rate_limit_max: 1.5 }, /rate_limit_max/],
      [{ name: 'n'.repeat(201) }, /name/],
      [{ name: '' }, /name/],
      [{}, /name/],
      [{ name: 'x', secret: 'mine' }, /secret/],
      [{ name: 'x', enabled: 'yes' }, /enabled/],
    ];
    for (const [payload, message] of cases) {
      const response = await t.request({
        method: 'POST',
        url: `/api/v1/workflows/${id}/webhooks`,
        token: owner,
        payload,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      const error = json<Envelope>(response).error;
      assert.equal(error?.code, 'BAD_REQUEST');
      assert.match(error?.message ?? '', message, JSON.stringify(payload));
    }
  });

  it('updates settings with PATCH: disabling makes the trigger answer 403 WEBHOOK_DISABLED', async () => {
    const id = await workflow();
    const { data: hook } = await create(id);
    assert.equal((await fire(hook, hook.secret as string)).statusCode, 200);
    const patched = await t.request({
      method: 'PATCH',
      url: `/api/v1/workflows/${id}/webhooks/${hook.webhook_id}`,
      token: owner,
      payload: { enabled: false, rate_limit_max: 5, name: 'Renamed' },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const updated = json<Envelope<Webhook>>(patched);
    assert.equal(updated.message, 'Webhook updated successfully');
    assert.equal(updated.data.enabled, false);
    assert.equal(updated.data.rate_limit_max, 5);
    assert.equal(updated.data.name, 'Renamed');
    assert.equal(updated.data.token, hook.token);
    assert.equal('secret' in updated.data, false);
    const disabled = await fire(hook, hook.secret as string);
    assert.equal(disabled.statusCode, 403);
    assert.equal(json<Envelope>(disabled).error?.code, 'WEBHOOK_DISABLED');

    await t.request({
      method: 'PATCH',
      url: `/api/v1/workflows/${id}/webhooks/${hook.webhook_id}`,
      token: owner,
      payload: { enabled: true },
    });
    assert.equal((await fire(hook, hook.secret as string)).statusCode, 200);

    const empty = await t.request({
      method: 'PATCH',
      url: `/api/v1/workflows/${id}/webhooks/${hook.webhook_id}`,
      token: owner,
      payload: {},
    });
    assert.equal(empty.statusCode, 400);
    const badList = await t.request({
      method: 'PATCH',
      url: `/api/v1/workflows/${id}/webhooks/${hook.webhook_id}`,
      token: owner,
      payload: { ip_allowlist: ['300.1.1.1'] },
    });
    assert.equal(badList.statusCode, 400);
  });

  it('rotate-secret issues a new secret: the old one stops verifying, the new one works', async () => {
    const id = await workflow();
    const { data: hook } = await create(id);
    const rotated = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/webhooks/${hook.webhook_id}/rotate-secret`,
      token: owner,
    });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const fresh = json<Envelope<Webhook>>(rotated).data;
    assert.equal(fresh.webhook_id, hook.webhook_id);
    assert.equal(fresh.token, hook.token);
    assert.ok(fresh.secret && fresh.secret !== hook.secret);
    const old = await fire(hook, hook.secret as string);
    assert.equal(old.statusCode, 403);
    assert.equal(json<Envelope>(old).error?.code, 'SIGNATURE_INVALID');
    assert.equal((await fire(hook, fresh.secret as string)).statusCode, 200);
  });

  it('delete removes the webhook: its token answers 404 WEBHOOK_NOT_FOUND', async () => {
    const id = await workflow();
    const { data: hook } = await create(id);
    assert.equal((await fire(hook, hook.secret as string)).statusCode, 200);
    const deleted = await t.request({
      method: 'DELETE',
      url: `/api/v1/workflows/${id}/webhooks/${hook.webhook_id}`,
      token: owner,
    });
    assert.equal(deleted.statusCode, 200);
    assert.deepEqual(json<Envelope>(deleted), {
      success: true,
      message: 'Webhook deleted successfully',
      data: { webhook_id: hook.webhook_id },
    });
    const gone = await fire(hook, hook.secret as string);
    assert.equal(gone.statusCode, 404);
    assert.equal(json<Envelope>(gone).error?.code, 'WEBHOOK_NOT_FOUND');
    const again = await t.request({
      method: 'DELETE',
      url: `/api/v1/workflows/${id}/webhooks/${hook.webhook_id}`,
      token: owner,
    });
    assert.equal(again.statusCode, 404);
    assert.equal(json<Envelope>(again).error?.code, 'WEBHOOK_NOT_FOUND');
  });

  it('a webhook id of another workflow is not found under this one', async () => {
    const first = await workflow();
    const second = await workflow();
    const { data: hook } = await create(first);
    for (const [method, suffix] of [
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
    ] as const) {
      const response = await t.request({
        method,
        url: `/api/v1/workflows/${second}/webhooks/${hook.webhook_id}${suffix}`,
        token: owner,
        ...(method === 'PATCH' ? { payload: { enabled: false } } : {}),
      });
      assert.equal(response.statusCode, 404, `${method} ${suffix}`);
      assert.equal(json<Envelope>(response).error?.code, 'WEBHOOK_NOT_FOUND');
    }
    const bad = await t.request({
      method: 'DELETE',
      url: `/api/v1/workflows/${first}/webhooks/not-a-uuid`,
      token: owner,
    });
    assert.equal(bad.statusCode, 400);
  });

  it('management needs can_view to list and can_edit to change', async () => {
    const id = await workflow();
    const { data: hook } = await create(id);
    await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}/permissions`,
      token: owner,
      payload: { permission_type: 'user', target_id: 'viewer', can_view: true },
    });
    const viewer = await t.token({ userId: 'viewer' });
    const stranger = await t.token({ userId: 'stranger' });
    assert.equal(
      (await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/webhooks`, token: viewer })).statusCode,
      200,
    );
    const denied = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/webhooks`,
      token: viewer,
      payload: { name: 'x' },
    });
    assert.equal(denied.statusCode, 403);
    assert.equal(json<Envelope>(denied).error?.code, 'PERMISSION_DENIED');
    const rotate = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/webhooks/${hook.webhook_id}/rotate-secret`,
      token: viewer,
    });
    assert.equal(rotate.statusCode, 403);
    const hidden = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/webhooks`, token: stranger });
    assert.equal(hidden.statusCode, 404);
    assert.equal(json<Envelope>(hidden).error?.code, 'WORKFLOW_NOT_FOUND');
  });

  it('counts triggers: trigger_count and last_triggered_at in the list', async () => {
    const id = await workflow();
    const { data: hook } = await create(id);
    const before = Date.now();
    for (let i = 0; i < 3; i++) assert.equal((await fire(hook, hook.secret as string)).statusCode, 200);
    // A refused call is not a trigger.
    await t.request({ method: 'POST', url: `/api/v1/workflows/webhooks/${hook.token}`, payload: {} });
    const listed = json<Envelope<Webhook[]>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/webhooks`, token: owner }),
    ).data;
    assert.equal(listed[0].trigger_count, 3);
    assert.ok(listed[0].last_triggered_at && Date.parse(listed[0].last_triggered_at) >= before - 1000);
  });

  it('archiving the workflow makes its webhooks answer 404; changes are audited', async () => {
    const id = await workflow();
    const { data: hook } = await create(id);
    assert.equal((await fire(hook, hook.secret as string)).statusCode, 200);
    assert.equal((await t.request({ method: 'DELETE', url: `/api/v1/workflows/${id}`, token: owner })).statusCode, 200);
    const gone = await fire(hook, hook.secret as string);
    assert.equal(gone.statusCode, 404);
    assert.equal(json<Envelope>(gone).error?.code, 'WEBHOOK_NOT_FOUND');
    const refused = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/webhooks`,
      token: owner,
      payload: { name: 'late' },
    });
    assert.equal(refused.statusCode, 409);
    const audit = json<Envelope<Array<{ action: string; details: Record<string, unknown> }>>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/audit?per_page=100`, token: owner }),
    ).data;
    const created = audit.find((row) => row.action === 'webhook.create');
    assert.equal(created?.details.webhook_id, hook.webhook_id);
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(hook.secret as string));
  });
});
