/**
 * Webhooks keep to their own trigger and their own cost (issue 9, findings 10 and 11): a call
 * starts only enabled trigger_webhook nodes (none: 409 saying so, and validation warns), failed
 * signature checks spend a budget past which the trigger answers 429 without checking, and
 * credentials in headers never reach the trigger data. Also the schedule-node cap.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signWebhook } from '../src/webhooks/signature.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import {
  createWorkflow,
  type Envelope,
  type Execution,
  waitForExecution,
  workflowBuilder,
} from './helpers/workflows.ts';

const build = workflowBuilder({ name: 'guarded', entity_id: ENTITY_ID });

interface Hook {
  readonly webhook_id: string;
  readonly token: string;
  readonly secret: string;
}

describe('webhook guards', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await createTestApp({ WEBHOOK_SIGNATURE_FAILURES: '5' });
    owner = await t.token({ userId: 'owner' });
  });
  after(() => t.close());

  async function publishWithHook(definition: object, settings: Record<string, unknown> = {}) {
    const id = await createWorkflow(t, owner, definition);
    const made = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/webhooks`,
      token: owner,
      payload: { name: 'hook', require_signature: false, ...settings },
    });
    assert.equal(made.statusCode, 201, made.body);
    const published = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner });
    assert.equal(published.statusCode, 200, published.body);
    return { id, hook: json<Envelope<Hook>>(made).data };
  }

  const fire = (hook: Hook, headers: Record<string, string> = {}, body = '{"a":1}') =>
    t.request({
      method: 'POST',
      url: `/api/v1/workflows/webhooks/${hook.token}`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });

  it('a webhook on a workflow without trigger_webhook answers 409 and runs no other trigger', async () => {
    const modOnly = build(
      {
        cmd: ['trigger_command', { command_name: '!secret', require_mod: true }],
        say: ['action_chat_message', { message: 'mods only' }],
      },
      ['cmd -> say'],
    );
    const { id, hook } = await publishWithHook(modOnly);
    const answer = await fire(hook);
    assert.equal(answer.statusCode, 409, answer.body);
    const error = json<Envelope>(answer).error;
    assert.equal(error?.code, 'WORKFLOW_NOT_ACTIVE');
    assert.match(error?.message ?? '', /trigger_webhook/);
    const validated = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/validate`, token: owner });
    const result = json<Envelope<{ warnings: string[] }>>(validated).data;
    assert.ok(
      result.warnings.some((w) => /webhooks but no enabled trigger_webhook/.test(w)),
      JSON.stringify(result.warnings),
    );
    const runs = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/${id}/executions?community_id=1`,
      token: owner,
    });
    assert.equal(json<Envelope<unknown[]>>(runs).data.length, 0, 'nothing ran');

    const disabled = build(
      {
        hook: ['trigger_webhook', {}, { enabled: false }],
        manual: ['trigger_manual'],
        say: ['action_chat_message', { message: 'x' }],
      },
      ['hook -> say', 'manual -> say'],
    );
    const second = await publishWithHook(disabled);
    assert.equal((await fire(second.hook)).statusCode, 409);
  });

  it('a webhook starts only the trigger_webhook nodes of a workflow with several triggers', async () => {
    const mixed = build(
      {
        hook: ['trigger_webhook'],
        cmd: ['trigger_command', { command_name: '!other', require_mod: true }],
        manual: ['trigger_manual'],
        fromHook: ['data_variable_set', { variables: { via: 'hook' } }],
        fromOthers: ['data_variable_set', { variables: { other: true } }],
      },
      ['hook -> fromHook', 'cmd -> fromOthers', 'manual -> fromOthers'],
    );
    const { hook } = await publishWithHook(mixed);
    const answer = await fire(hook);
    assert.equal(answer.statusCode, 200, answer.body);
    const run = await waitForExecution(t, owner, json<Envelope<{ execution_id: string }>>(answer).data.execution_id);
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.execution_path, ['hook', 'fromHook']);
    assert.equal(run.final_variables.other, undefined);
  });

  it('past the signature failure budget the trigger answers 429 without checking, even a good signature', async () => {
    const { hook } = await publishWithHook(build({ hook: ['trigger_webhook'] }, []), { require_signature: true });
    const body = '{"a":1}';
    const good = { 'x-webhook-signature': signWebhook(hook.secret, hook.token, Buffer.from(body)) };
    const bad = { 'x-webhook-signature': `sha256=${'0'.repeat(64)}` };
    assert.equal((await fire(hook, good, body)).statusCode, 200);
    for (let i = 0; i < 5; i++) {
      const refused = await fire(hook, bad, body);
      assert.equal(refused.statusCode, 403, `failure ${i + 1}: ${refused.body}`);
      assert.equal(json<Envelope>(refused).error?.code, 'SIGNATURE_INVALID');
    }
    for (const headers of [bad, good]) {
      const limited = await fire(hook, headers, body);
      assert.equal(limited.statusCode, 429, limited.body);
      assert.equal(json<Envelope>(limited).error?.code, 'RATE_LIMIT_EXCEEDED');
      assert.ok(Number(limited.headers['retry-after']) >= 1, 'Retry-After says when');
    }
    const { hook: other } = await publishWithHook(build({ hook: ['trigger_webhook'] }, []), {
      require_signature: true,
    });
    const otherGood = { 'x-webhook-signature': signWebhook(other.secret, other.token, Buffer.from(body)) };
    assert.equal((await fire(other, otherGood, body)).statusCode, 200, 'the budget is per webhook');
  });

  it('headers that carry credentials never reach the trigger data', async () => {
    const { hook } = await publishWithHook(build({ hook: ['trigger_webhook'] }, []));
    const answer = await fire(hook, {
      'x-gitlab-token': 'glt',
      'x-api-key': 'k',
      'x-hub-signature-256': 'sha256=abc',
      'stripe-signature': 't=1,v1=x',
      'x-custom-auth': 'a',
      'x-client-secret': 's',
      cookie: 'c=1',
      'x-github-event': 'release',
    });
    assert.equal(answer.statusCode, 200, answer.body);
    const run = await waitForExecution<Execution>(
      t,
      owner,
      json<Envelope<{ execution_id: string }>>(answer).data.execution_id,
    );
    const headers = (run.final_variables.trigger as { headers: Record<string, string> }).headers;
    for (const name of [
      'x-gitlab-token',
      'x-api-key',
      'x-hub-signature-256',
      'stripe-signature',
      'x-custom-auth',
      'x-client-secret',
      'cookie',
    ]) {
      assert.equal(headers[name], undefined, name);
    }
    assert.equal(headers['x-github-event'], 'release');
  });

  it('a workflow holds at most 10 trigger_schedule nodes', async () => {
    const nodes = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`s${i}`, ['trigger_schedule', { cron: '* * * * * *' }] as const]),
    );
    const id = await createWorkflow(t, owner, build(nodes, []));
    const validated = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/validate`, token: owner });
    const result = json<Envelope<{ is_valid: boolean; errors: string[] }>>(validated).data;
    assert.equal(result.is_valid, false);
    assert.ok(
      result.errors.some((e) => /11 trigger_schedule nodes; the maximum is 10/.test(e)),
      JSON.stringify(result.errors),
    );
    const published = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner });
    assert.equal(published.statusCode, 400);
  });
});
