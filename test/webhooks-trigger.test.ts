/**
 * The public trigger `POST /api/v1/workflows/webhooks/:token`: every step of PRODUCT.md §9 in its
 * order, every row of the reference's webhook error table, signatures computed as the reference's
 * Python snippet does, rate-limit headers, idempotency and the execution it stores. The whole
 * suite runs twice: with the in-memory limiter (the app as composed) and with the Redis limiter
 * (the webhooks module mounted over the same app and database with a Redis limiter).
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { webhooksFeature } from '../src/features/webhooks.ts';
import { buildServer } from '../src/http/server.ts';
import { createRedisRateLimiter } from '../src/webhooks/redis-rate-limiter.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, webhookWorkflow } from './helpers/fixtures.ts';
import { createWorkflow, type Envelope, waitForExecution } from './helpers/workflows.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
type Kind = 'memory' | 'redis';
type Response = LightMyRequestResponse & { body: string };
interface Hook {
  webhook_id: string;
  workflow_id: string;
  token: string;
  secret: string;
}

interface Harness {
  readonly t: TestApp;
  readonly owner: string;
  /** Requests to the server that carries the webhook routes under test. */
  hooks(options: InjectOptions & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

async function openHarness(kind: Kind, env: Record<string, string> = {}): Promise<Harness> {
  const t = await createTestApp(env);
  const owner = await t.token({ userId: '42', entities: [ENTITY_ID] });
  if (kind === 'memory') return { t, owner, hooks: (options) => t.request(options), close: () => t.close() };
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  const prefix = `wfc-test:webhooks:${randomBytes(6).toString('hex')}:`;
  const module = webhooksFeature(t.app.context, { limiter: createRedisRateLimiter({ redis, keyPrefix: prefix }) });
  const { context, config } = t.app;
  const server = await buildServer({
    logger: context.logger,
    authenticator: context.authenticator,
    metrics: context.metrics,
    bodyLimitBytes: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    publicBaseUrl: config.publicBaseUrl,
    resolvers: { workflow: (principal, id, needed) => t.app.workflows.authorize(principal, id, needed) },
    routes: module.routes ?? [],
  });
  await module.start?.();
  return {
    t,
    owner,
    async hooks({ token, headers, ...options }) {
      return server.inject({
        ...options,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      });
    },
    async close() {
      await module.stop?.();
      await server.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await t.close();
    },
  };
}

/** The reference's snippet, line for line: `token.encode() + request_body_bytes`, HMAC-SHA256 with `secret.encode()`. */
function pythonSnippetSignature(secret: string, token: string, body: Buffer): string {
  const message = Buffer.concat([Buffer.from(token, 'utf8'), body]);
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(message).digest('hex')}`;
}

const RATE_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'] as const;

function triggerSuite(kind: Kind): void {
  describe(`webhook trigger (${kind} rate limiter)`, () => {
    let h: Harness;
    before(async () => {
      h = await openHarness(kind);
    });
    after(() => h.close());

    async function workflow(publish = true): Promise<string> {
      const id = await createWorkflow(h.t, h.owner, webhookWorkflow());
      if (publish)
        assert.equal(
          (await h.t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: h.owner })).statusCode,
          200,
        );
      return id;
    }

    async function webhook(settings: Record<string, unknown> = {}, workflowId?: string): Promise<Hook> {
      const id = workflowId ?? (await workflow());
      const response = await h.hooks({
        method: 'POST',
        url: `/api/v1/workflows/${id}/webhooks`,
        token: h.owner,
        payload: { name: 'hook', ...settings },
      });
      assert.equal(response.statusCode, 201, response.body);
      return json<Envelope<Hook>>(response).data;
    }

    function fire(
      hook: Hook,
      body: string | Buffer = '{"release":"v1"}',
      headers: Record<string, string> = {},
      extra: Partial<InjectOptions> = {},
    ) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return h.hooks({
        method: 'POST',
        url: `/api/v1/workflows/webhooks/${hook.token}`,
        headers: {
          'content-type': 'application/json',
          'x-webhook-signature': pythonSnippetSignature(hook.secret, hook.token, bytes),
          ...headers,
        },
        payload: bytes,
        ...extra,
      } as InjectOptions);
    }

    function assertError(response: Response, status: number, code: string, rateHeaders: boolean): void {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json<Envelope>(response).error?.code, code);
      for (const name of RATE_HEADERS) assert.equal(name in response.headers, rateHeaders, `${code}: ${name}`);
    }

    const finished = (executionId: string) => waitForExecution(h.t, h.owner, executionId);

    it('accepts a call signed exactly as the Python snippet shows and stores the execution before answering', async () => {
      const hook = await webhook();
      const body = Buffer.from('{"release": "v1.2",  "repo": {"name": "core"}}');
      const response = await fire(
        hook,
        body,
        { 'x-custom': 'yes', authorization: 'Bearer secret-thing', cookie: 'a=b' },
        { query: { source: 'gh' } },
      );
      assert.equal(response.statusCode, 200, response.body);
      const answer =
        json<
          Envelope<{ execution_id: string; webhook_id: string; workflow_id: string; status: string; timestamp: string }>
        >(response);
      assert.equal(answer.message, 'Workflow execution triggered');
      assert.equal(answer.data.webhook_id, hook.webhook_id);
      assert.equal(answer.data.workflow_id, hook.workflow_id);
      assert.equal(answer.data.status, 'queued');
      assert.ok(!Number.isNaN(Date.parse(answer.data.timestamp)));
      assert.equal(response.headers['x-ratelimit-limit'], '60');
      assert.equal(response.headers['x-ratelimit-remaining'], '59');
      assert.ok(Number(response.headers['x-ratelimit-reset']) >= Math.floor(Date.now() / 1000) + 59);
      assert.equal(response.headers['retry-after'], undefined);

      const stored = await h.t.request({
        method: 'GET',
        url: `/api/v1/workflows/executions/${answer.data.execution_id}`,
        token: h.owner,
      });
      assert.equal(stored.statusCode, 200, 'the execution row exists as soon as the 200 is sent');
      const run = await finished(answer.data.execution_id);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.trigger_source, 'webhook');
      assert.deepEqual(run.execution_path, ['hook', 'say']);
      const variables = run.final_variables as Record<string, unknown>;
      assert.equal(variables.release, 'v1.2');
      assert.deepEqual(variables.repo, { name: 'core' });
      const trigger = variables.trigger as {
        body: unknown;
        headers: Record<string, string>;
        query: unknown;
        webhook_id: string;
        client_ip: string;
      };
      assert.deepEqual(trigger.body, { release: 'v1.2', repo: { name: 'core' } });
      assert.equal(trigger.headers['x-custom'], 'yes');
      assert.equal(trigger.headers['content-type'], 'application/json');
      for (const hidden of ['authorization', 'cookie', 'x-webhook-signature'])
        assert.equal(hidden in trigger.headers, false, hidden);
      assert.deepEqual(trigger.query, { source: 'gh' });
      assert.equal(trigger.webhook_id, hook.webhook_id);
      assert.equal(trigger.client_ip, '127.0.0.1');
    });

    it('404 WEBHOOK_NOT_FOUND for an unknown token, before anything else', async () => {
      const unknown = { ...(await webhook()), token: randomBytes(32).toString('base64url') };
      assertError(await fire(unknown, 'not json'), 404, 'WEBHOOK_NOT_FOUND', false);
      for (const token of ['abc', 'x'.repeat(200), 'a!b*c']) {
        const garbage = await h.hooks({ method: 'POST', url: `/api/v1/workflows/webhooks/${token}`, payload: '' });
        assertError(garbage, 404, 'WEBHOOK_NOT_FOUND', false);
      }
    });

    it('a signature over another token, a re-serialized body or a truncated digest fails', async () => {
      const hook = await webhook();
      const other = await webhook();
      const body = Buffer.from('{ "release" : "v1" , "n": 1.0 }');
      const cases: Record<string, string> = {
        'other token': pythonSnippetSignature(hook.secret, other.token, body),
        'other secret': pythonSnippetSignature(other.secret, hook.token, body),
        're-serialized body': pythonSnippetSignature(
          hook.secret,
          hook.token,
          Buffer.from(JSON.stringify(JSON.parse(body.toString()))),
        ),
        'truncated digest': pythonSnippetSignature(hook.secret, hook.token, body).slice(0, -2),
        'digest without prefix': pythonSnippetSignature(hook.secret, hook.token, body).slice('sha256='.length),
        'other algorithm name': pythonSnippetSignature(hook.secret, hook.token, body).replace('sha256=', 'sha1='),
      };
      for (const [name, signature] of Object.entries(cases)) {
        const response = await fire(hook, body, { 'x-webhook-signature': signature });
        assert.equal(json<Envelope>(response).error?.code, 'SIGNATURE_INVALID', name);
        assertError(response, 403, 'SIGNATURE_INVALID', false);
      }
      assert.equal((await fire(hook, body)).statusCode, 200, 'the right signature over the same bytes passes');
      const missing = await h.hooks({
        method: 'POST',
        url: `/api/v1/workflows/webhooks/${hook.token}`,
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
      assertError(missing, 403, 'SIGNATURE_REQUIRED', false);
    });

    it('checks in the order of §9, each with its code, rate-limit headers from step 5 on', async () => {
      const draftId = await workflow(false);
      // 2 before 3: disabled and the client outside the allowlist.
      const disabled = await webhook({ enabled: false, ip_allowlist: ['203.0.113.0/24'] });
      assertError(
        await fire(disabled, 'not json', { 'x-webhook-signature': 'sha256=00' }),
        403,
        'WEBHOOK_DISABLED',
        false,
      );
      // 3 before 4: outside the allowlist with no signature.
      const fenced = await webhook({ ip_allowlist: ['203.0.113.0/24'] });
      assertError(
        await h.hooks({ method: 'POST', url: `/api/v1/workflows/webhooks/${fenced.token}`, payload: 'x' }),
        403,
        'IP_NOT_ALLOWED',
        false,
      );
      // 4 before 5 and 6: unsigned, over the limit and not JSON.
      const limited = await webhook({ rate_limit_max: 1 });
      assert.equal((await fire(limited)).statusCode, 200);
      assertError(
        await h.hooks({ method: 'POST', url: `/api/v1/workflows/webhooks/${limited.token}`, payload: 'x' }),
        403,
        'SIGNATURE_REQUIRED',
        false,
      );
      // 5 before 6: over the limit with a body that is not JSON.
      const tooMany = await fire(limited, 'not json');
      assertError(tooMany, 429, 'RATE_LIMIT_EXCEEDED', true);
      assert.ok(Number(tooMany.headers['retry-after']) >= 1 && Number(tooMany.headers['retry-after']) <= 60);
      assert.equal(tooMany.headers['x-ratelimit-remaining'], '0');
      // 6 before 7: a draft workflow and a body that is not JSON.
      const draft = await webhook({}, draftId);
      const invalid = await fire(draft, '{"release": ');
      assertError(invalid, 400, 'INVALID_JSON', true);
      assert.equal(invalid.headers['retry-after'], undefined);
      // 7: a valid body on a workflow never published.
      assertError(await fire(draft), 409, 'WORKFLOW_NOT_ACTIVE', true);
    });

    it('an empty body is {}; any content type is read as bytes and parsed as JSON', async () => {
      const hook = await webhook();
      const empty = await fire(hook, '');
      assert.equal(empty.statusCode, 200, empty.body);
      const run = await finished(json<Envelope<{ execution_id: string }>>(empty).data.execution_id);
      assert.deepEqual((run.final_variables as { trigger: { body: unknown } }).trigger.body, {});
      assert.equal((await fire(hook, '{"a":1}', { 'content-type': 'text/plain' })).statusCode, 200);
      const bytes = Buffer.from('[1,2]');
      const noType = await h.hooks({
        method: 'POST',
        url: `/api/v1/workflows/webhooks/${hook.token}`,
        headers: { 'x-webhook-signature': pythonSnippetSignature(hook.secret, hook.token, bytes) },
        payload: bytes,
      });
      assert.equal(noType.statusCode, 200, noType.body);
      const arrayRun = await finished(json<Envelope<{ execution_id: string }>>(noType).data.execution_id);
      assert.deepEqual((arrayRun.final_variables as { trigger: { body: unknown } }).trigger.body, [1, 2]);
      assertError(await fire(hook, 'plain words', { 'content-type': 'text/plain' }), 400, 'INVALID_JSON', true);
    });

    it('allowlists match IPv4 and IPv6 addresses and CIDR ranges; X-Forwarded-For is ignored without TRUST_PROXY', async () => {
      const open = await webhook({
        require_signature: false,
        ip_allowlist: ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32'],
      });
      const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
        h.hooks({
          method: 'POST',
          url: `/api/v1/workflows/webhooks/${open.token}`,
          payload: '{}',
          remoteAddress,
          headers,
        } as InjectOptions);
      for (const allowed of ['10.20.30.40', '192.168.1.7', '2001:db8:1::5', '::ffff:10.1.2.3']) {
        assert.equal((await from(allowed)).statusCode, 200, allowed);
      }
      for (const refused of ['11.0.0.1', '192.168.1.8', '2001:db9::1', '::1']) {
        assertError(await from(refused), 403, 'IP_NOT_ALLOWED', false);
      }
      assertError(await from('127.0.0.1', { 'x-forwarded-for': '10.0.0.1' }), 403, 'IP_NOT_ALLOWED', false);
      const unsigned = await webhook({ require_signature: false });
      const response = await h.hooks({ method: 'POST', url: `/api/v1/workflows/webhooks/${unsigned.token}` });
      assert.equal(response.statusCode, 200, 'require_signature false needs no signature');
    });

    it('limits each webhook to rate_limit_max calls per sliding window, also under concurrent calls', async () => {
      const hook = await webhook({ rate_limit_max: 3, rate_limit_window: 60 });
      const other = await webhook({ rate_limit_max: 3, rate_limit_window: 60 });
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await fire(hook);
        assert.equal(response.statusCode, 200);
        remaining.push(response.headers['x-ratelimit-remaining'] as string);
      }
      assert.deepEqual(remaining, ['2', '1', '0']);
      assertError(await fire(hook), 429, 'RATE_LIMIT_EXCEEDED', true);
      assert.equal((await fire(other)).statusCode, 200, 'the limit is per webhook');

      const burst = await webhook({ rate_limit_max: 5, rate_limit_window: 60 });
      const answers = await Promise.all(Array.from({ length: 20 }, () => fire(burst)));
      assert.equal(answers.filter((r) => r.statusCode === 200).length, 5);
      assert.equal(answers.filter((r) => r.statusCode === 429).length, 15);

      const short = await webhook({ rate_limit_max: 2, rate_limit_window: 1 });
      assert.equal((await fire(short)).statusCode, 200);
      assert.equal((await fire(short)).statusCode, 200);
      assert.equal((await fire(short)).statusCode, 429);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal((await fire(short)).statusCode, 200, 'the window slides: old calls leave it');
    });

    it('an Idempotency-Key seen again answers the first execution instead of starting another', async () => {
      const hook = await webhook();
      const first = await fire(hook, '{"n":1}', { 'idempotency-key': 'delivery-1' });
      const again = await fire(hook, '{"n":1}', { 'idempotency-key': 'delivery-1' });
      assert.equal(first.statusCode, 200);
      assert.equal(again.statusCode, 200);
      const firstId = json<Envelope<{ execution_id: string }>>(first).data.execution_id;
      assert.equal(json<Envelope<{ execution_id: string }>>(again).data.execution_id, firstId);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      const other = await fire(hook, '{"n":1}', { 'idempotency-key': 'delivery-2' });
      assert.notEqual(json<Envelope<{ execution_id: string }>>(other).data.execution_id, firstId);

      const racing = await Promise.all(
        Array.from({ length: 6 }, () => fire(hook, '{"n":2}', { 'idempotency-key': 'delivery-3' })),
      );
      assert.ok(
        racing.every((r) => r.statusCode === 200),
        racing.map((r) => r.body).join('\n'),
      );
      assert.equal(new Set(racing.map((r) => json<Envelope<{ execution_id: string }>>(r).data.execution_id)).size, 1);
      const list = await h.t.request({
        method: 'GET',
        url: `/api/v1/workflows/${hook.workflow_id}/executions?per_page=100&community_id=1`,
        token: h.owner,
      });
      assert.equal(
        json<{ meta: { pagination: { total: number } } }>(list).meta.pagination.total,
        3,
        'delivery-1, delivery-2, delivery-3',
      );
      assertError(await fire(hook, '{}', { 'idempotency-key': 'k'.repeat(300) }), 400, 'BAD_REQUEST', true);
    });
  });
}

triggerSuite('memory');
triggerSuite('redis');

describe('webhook trigger behind a proxy, with a small body limit', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('memory', { TRUST_PROXY: 'true', BODY_LIMIT_BYTES: '2048' });
  });
  after(() => h.close());

  it('uses X-Forwarded-For under TRUST_PROXY and refuses bodies over the limit with 413', async () => {
    const id = await createWorkflow(h.t, h.owner, webhookWorkflow());
    await h.t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: h.owner });
    const made = await h.hooks({
      method: 'POST',
      url: `/api/v1/workflows/${id}/webhooks`,
      token: h.owner,
      payload: { name: 'x', require_signature: false, ip_allowlist: ['203.0.113.0/24'] },
    });
    const hook = json<Envelope<Hook>>(made).data;
    const call = (headers: Record<string, string>, payload = '{}') =>
      h.hooks({
        method: 'POST',
        url: `/api/v1/workflows/webhooks/${hook.token}`,
        headers: { 'content-type': 'application/json', ...headers },
        payload,
      });
    assert.equal((await call({ 'x-forwarded-for': '203.0.113.9' })).statusCode, 200);
    assert.equal(json<Envelope>(await call({ 'x-forwarded-for': '198.51.100.1' })).error?.code, 'IP_NOT_ALLOWED');
    const big = await call({ 'x-forwarded-for': '203.0.113.9' }, JSON.stringify({ pad: 'x'.repeat(3000) }));
    assert.equal(big.statusCode, 413);
    assert.equal(json<Envelope>(big).error?.code, 'PAYLOAD_TOO_LARGE');
  });
});
