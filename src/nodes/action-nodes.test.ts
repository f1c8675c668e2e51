import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { NodeError, type OutboundResponse } from './node-type.ts';
import { getNodeType } from './registry.ts';
import { createTestContext, runNode } from './test-context.fixture.ts';

const trigger = { platform: 'twitch', channel_id: 'chan-1', user_id: 'u-9', username: 'ada' };
const isNodeError = (code: string, retryable: boolean) => (error: unknown) =>
  error instanceof NodeError && error.code === code && (error.options.retryable ?? false) === retryable;

describe('action_chat_message', () => {
  test('renders the message and sends the delivery payload with trigger defaults', async () => {
    const context = createTestContext({ variables: trigger });
    const result = await runNode('action_chat_message', { message: 'Hi {{ username }}!' }, context);
    assert.equal(context.sent.length, 1);
    assert.equal(context.sent[0].kind, 'chat_message');
    assert.deepEqual(context.sent[0].payload, {
      message: 'Hi ada!',
      destination: 'current_channel',
      entity_id: 7,
      community_id: 9,
      platform: 'twitch',
      channel_id: 'chan-1',
      user_id: 'u-9',
      reply_to_message: false,
      execution_id: 'exec-test',
    });
    assert.deepEqual(result.ports, ['output']);
    assert.equal((result.output as { delivered: boolean }).delivered, false);
    assert.ok(context.logs.some((line) => /outbox/.test(line)));
  });

  test('configured channel and platform are templates; missing variables are logged', async () => {
    const context = createTestContext({
      variables: { ...trigger, target: 'chan-2' },
      deliver: () => ({ delivered: true, status: 200 }),
    });
    await runNode(
      'action_chat_message',
      { message: 'x {{ nope }}', destination: 'specified_channel', channel_id: '{{ target }}', platform: 'discord' },
      context,
    );
    assert.equal(context.sent[0].payload.channel_id, 'chan-2');
    assert.equal(context.sent[0].payload.platform, 'discord');
    assert.ok(context.logs.some((line) => /'nope' is missing/.test(line)));
  });

  test('an empty rendered message fails without sending', async () => {
    const context = createTestContext();
    await assert.rejects(
      runNode('action_chat_message', { message: '{{ nothing }}' }, context),
      isNodeError('EMPTY_MESSAGE', false),
    );
    assert.equal(context.sent.length, 0);
  });

  test('router failures become NodeErrors: 5xx and network retryable, 4xx not', async () => {
    const failWith = (error: unknown) =>
      createTestContext({ variables: trigger, deliver: () => Promise.reject(error) });
    await assert.rejects(
      runNode('action_chat_message', { message: 'a' }, failWith(new Error('ECONNRESET'))),
      isNodeError('DELIVERY_FAILED', true),
    );
    await assert.rejects(
      runNode('action_chat_message', { message: 'a' }, failWith({ status: 503, message: 'down' })),
      isNodeError('HTTP_ERROR', true),
    );
    await assert.rejects(
      runNode('action_chat_message', { message: 'a' }, failWith({ status: 400, message: 'bad' })),
      isNodeError('HTTP_ERROR', false),
    );
    const answered = createTestContext({ variables: trigger, deliver: () => ({ delivered: true, status: 502 }) });
    await assert.rejects(runNode('action_chat_message', { message: 'a' }, answered), isNodeError('HTTP_ERROR', true));
  });

  test('cancellation passes through untouched', async () => {
    const controller = new AbortController();
    controller.abort();
    const abortError = new DOMException('aborted', 'AbortError');
    const context = createTestContext({ signal: controller.signal, deliver: () => Promise.reject(abortError) });
    await assert.rejects(
      runNode('action_chat_message', { message: 'a' }, context),
      (error: unknown) => error === abortError,
    );
  });

  test('validation: specified_channel needs channel_id', () => {
    const check = getNodeType('action_chat_message')?.validateConfig;
    assert.equal(check?.({ message: 'x', destination: 'specified_channel' }).length, 1);
    assert.deepEqual(check?.({ message: 'x', destination: 'user_pm' }), []);
  });
});

describe('action_webhook', () => {
  const ok: OutboundResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: { ok: true } };

  test('builds the request from templated config and stores the output', async () => {
    const context = createTestContext({ variables: { ...trigger, id: 5, token: 't0k' }, http: () => ok });
    const result = await runNode(
      'action_webhook',
      {
        url: 'https://api.example.com/users/{{ id }}',
        method: 'PUT',
        headers: { Authorization: 'Bearer {{ token }}' },
        query: { who: '{{ username }}', n: 2 },
        body: { user: '{{ username }}', id: '{{ id }}' },
        timeout_seconds: 3,
        output_variable: 'response',
      },
      context,
    );
    const request = context.requests[0];
    assert.equal(request.url, 'https://api.example.com/users/5?who=ada&n=2');
    assert.equal(request.method, 'PUT');
    assert.equal(request.body, '{"user":"ada","id":5}');
    assert.equal(request.headers.Authorization, 'Bearer t0k');
    assert.equal(request.headers['Content-Type'], 'application/json');
    assert.equal(request.timeoutMs, 3000);
    assert.equal(request.signal, context.ctx.signal);
    assert.deepEqual(result.output, { status: 200, headers: ok.headers, body: { ok: true } });
    assert.deepEqual(context.variables.response, result.output);
    assert.deepEqual(result.ports, ['output']);
  });

  test('signs the body with HMAC-SHA256 when a secret is set', async () => {
    const context = createTestContext({ http: () => ok });
    await runNode('action_webhook', { url: 'https://x.test/hook', body: 'raw text', signing_secret: 'shh' }, context);
    const expected = `sha256=${createHmac('sha256', 'shh').update('raw text').digest('hex')}`;
    assert.equal(context.requests[0].headers['X-Webhook-Signature'], expected);
    assert.equal(context.requests[0].headers['Content-Type'], 'text/plain; charset=utf-8');
  });

  test('GET sends no body', async () => {
    const context = createTestContext({ http: () => ok });
    await runNode('action_webhook', { url: 'https://x.test', method: 'GET', body: { a: 1 } }, context);
    assert.equal(context.requests[0].body, undefined);
  });

  test('429 and 503 are retryable after Retry-After; other 4xx are not; 5xx are', async () => {
    const answer = (status: number, headers: Record<string, string> = {}) =>
      createTestContext({ http: () => ({ status, headers, body: null }) });
    await assert.rejects(
      runNode('action_webhook', { url: 'https://x.test' }, answer(429, { 'Retry-After': '7' })),
      (error: unknown) =>
        error instanceof NodeError && error.options.retryable === true && error.options.retryAfterMs === 7000,
    );
    await assert.rejects(
      runNode(
        'action_webhook',
        { url: 'https://x.test' },
        answer(503, { 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }),
      ),
      (error: unknown) =>
        error instanceof NodeError && error.options.retryable === true && error.options.retryAfterMs === 30_000,
    );
    await assert.rejects(
      runNode('action_webhook', { url: 'https://x.test' }, answer(404)),
      isNodeError('HTTP_ERROR', false),
    );
    await assert.rejects(
      runNode('action_webhook', { url: 'https://x.test' }, answer(500)),
      isNodeError('HTTP_ERROR', true),
    );
  });

  test('a rendered URL must still be http(s); headers cannot smuggle line breaks', async () => {
    const context = createTestContext({
      variables: { target: 'file:///etc/passwd', evil: 'a\r\nX-Injected: 1' },
      http: () => ok,
    });
    await assert.rejects(
      runNode('action_webhook', { url: '{{ target }}' }, context),
      isNodeError('INVALID_URL', false),
    );
    await assert.rejects(
      runNode('action_webhook', { url: 'https://x.test', headers: { 'X-A': '{{ evil }}' } }, context),
      isNodeError('INVALID_HEADER', false),
    );
    assert.equal(context.requests.length, 0);
  });

  test('client errors: a NodeError from the guarded client is kept, a timeout is retryable', async () => {
    const refused = new NodeError('address is private', 'SSRF_BLOCKED');
    await assert.rejects(
      runNode('action_webhook', { url: 'https://x.test' }, createTestContext({ http: () => Promise.reject(refused) })),
      (e) => e === refused,
    );
    const timeout = new DOMException('timed out', 'TimeoutError');
    await assert.rejects(
      runNode('action_webhook', { url: 'https://x.test' }, createTestContext({ http: () => Promise.reject(timeout) })),
      isNodeError('TIMEOUT', true),
    );
  });

  test('validation: URL scheme, templated URLs, header names', () => {
    const check = getNodeType('action_webhook')?.validateConfig;
    assert.ok(check);
    assert.deepEqual(check({ url: 'https://example.com/x' }), []);
    assert.deepEqual(check({ url: '{{ base_url }}/hook' }), []);
    assert.deepEqual(check({ url: 'https://{{ host }}/hook' }), []);
    assert.match(check({ url: 'ftp://example.com' })[0], /not an http\(s\) URL/);
    assert.match(check({ url: 'javascript:alert(1)' })[0], /not an http\(s\) URL/);
    assert.match(check({ url: 'gopher://{{ host }}' })[0], /not an http\(s\) URL/);
    assert.match(check({ url: 'not a url' })[0], /not a valid URL/);
    assert.match(check({ url: 'https://x.test', headers: { 'Bad Header': 'x' } })[0], /not a valid header name/);
  });
});

describe('action_module', () => {
  test('sends rendered input and maps response paths into variables', async () => {
    const context = createTestContext({
      variables: { ...trigger, args: ['bob'] },
      deliver: () => ({ delivered: true, status: 200, response: { result: { clips: [{ url: 'https://clip' }] } } }),
    });
    const result = await runNode(
      'action_module',
      {
        module_name: 'shoutout',
        input_mapping: { target: '{{ args[0] }}', by: '{{ username }}', fixed: 3 },
        output_mapping: { clip_url: 'result.clips[0].url', missing: 'result.nope' },
      },
      context,
    );
    assert.equal(context.sent[0].kind, 'module');
    assert.equal(context.sent[0].timeoutMs, 30_000);
    assert.deepEqual(context.sent[0].payload, {
      module_name: 'shoutout',
      module_version: 'latest',
      input: { target: 'bob', by: 'ada', fixed: 3 },
      entity_id: 7,
      community_id: 9,
      execution_id: 'exec-test',
      workflow_id: 'workflow-test',
    });
    assert.equal(context.variables.clip_url, 'https://clip');
    assert.equal(Object.hasOwn(context.variables, 'missing'), false);
    assert.deepEqual((result.output as { mapped: unknown }).mapped, { clip_url: 'https://clip' });
  });

  test('a module call that times out is retryable', async () => {
    const context = createTestContext({ deliver: () => Promise.reject(new DOMException('t', 'TimeoutError')) });
    await assert.rejects(
      runNode('action_module', { module_name: 'm', timeout_seconds: 2 }, context),
      isNodeError('TIMEOUT', true),
    );
    assert.equal(context.sent[0].timeoutMs, 2000);
  });
});

describe('action_browser_source', () => {
  test('sends the overlay update with rendered content and defaults', async () => {
    const context = createTestContext({ variables: trigger });
    await runNode('action_browser_source', { content: '{{ username }} followed!' }, context);
    assert.equal(context.sent[0].kind, 'browser_source');
    assert.deepEqual(context.sent[0].payload, {
      source_type: 'ticker',
      action: 'display',
      content: 'ada followed!',
      duration: 10,
      priority: 0,
      entity_id: 7,
      community_id: 9,
      execution_id: 'exec-test',
    });
  });

  test('validation: content is needed unless clearing', () => {
    const check = getNodeType('action_browser_source')?.validateConfig;
    assert.equal(check?.({ action: 'display' }).length, 1);
    assert.deepEqual(check?.({ action: 'clear' }), []);
  });
});

describe('action_delay', () => {
  test('sleeps delay_ms through the context', async () => {
    const context = createTestContext();
    const result = await runNode('action_delay', { delay_ms: 250 }, context);
    assert.deepEqual(context.sleeps, [250]);
    assert.deepEqual(result.output, { delay_ms: 250 });
    assert.deepEqual(result.ports, ['output']);
  });

  test('delay_variable overrides, and the delay is capped at 300000 ms', async () => {
    const context = createTestContext({ variables: { wait: '1500', long: 900_000 } });
    await runNode('action_delay', { delay_ms: 10, delay_variable: 'wait' }, context);
    await runNode('action_delay', { delay_variable: 'long' }, context);
    await runNode('action_delay', { delay_ms: 20, delay_variable: 'missing' }, context);
    assert.deepEqual(context.sleeps, [1500, 300_000, 20]);
    assert.ok(context.logs.some((line) => /capped/.test(line)));
  });

  test('cancellation interrupts the wait', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runNode('action_delay', { delay_ms: 5 }, createTestContext({ signal: controller.signal })), {
      name: 'AbortError',
    });
  });
});
