/** @module delivery/router-client.test Router delivery against a scripted stub router on 127.0.0.1. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseRetryAfter } from '../core/retry-after.ts';
import { type DeliveryKind, NodeError } from '../nodes/node-type.ts';
import { createDelivery } from './router-client.ts';

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}
type Reply = (res: ServerResponse) => void;

let server: Server;
let routerUrl = '';
let received: Received[] = [];
let script: Reply[] = [];

const ok: Reply = (res) => {
  res.setHeader('content-type', 'application/json');
  res.end('{"success":true,"message_id":"m-1"}');
};
const status =
  (code: number, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(code, headers);
    res.end('{"success":false}');
  };

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({
      path: req.url ?? '',
      contentType: req.headers['content-type'],
      body: JSON.parse(Buffer.concat(chunks).toString() || 'null'),
    });
    (script.shift() ?? ok)(res);
  });
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  routerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  script = [];
});

const options = () => ({ timeoutMs: 2000, signal: new AbortController().signal });
const payload = { message: 'hi', destination: 'current_channel', execution_id: 'e-1' };

describe('createDelivery without a router', () => {
  it('appends to the outbox and reports not delivered', async () => {
    const outbox: [DeliveryKind, Record<string, unknown>][] = [];
    const delivery = createDelivery({ outbox: (kind, body) => outbox.push([kind, body]) });
    assert.deepEqual(await delivery.send('chat_message', payload, options()), { delivered: false });
    assert.deepEqual(outbox, [['chat_message', payload]]);
    assert.equal(received.length, 0);
  });
});

describe('createDelivery with a router', () => {
  const outboxed: unknown[] = [];
  const delivery = createDelivery({ routerUrl: '', outbox: (kind) => outboxed.push(kind), baseDelayMs: 5 });
  let router: ReturnType<typeof createDelivery>;
  before(() => {
    router = createDelivery({
      routerUrl,
      outbox: (kind) => outboxed.push(kind),
      baseDelayMs: 5,
      maxResponseBytes: 1024,
    });
  });
  after(async () => {
    await router.close();
    await delivery.close();
  });

  it('POSTs JSON to the path of each kind and returns the parsed answer', async () => {
    const result = await router.send('chat_message', payload, options());
    await router.send('module', { module_name: 'weather' }, options());
    await router.send('browser_source', { source_type: 'ticker' }, options());
    assert.deepEqual(result, { delivered: true, status: 200, response: { success: true, message_id: 'm-1' } });
    assert.deepEqual(
      received.map((r) => r.path),
      ['/api/v1/send-message', '/api/v1/execute-module', '/api/v1/browser-source'],
    );
    assert.equal(received[0].contentType, 'application/json');
    assert.deepEqual(received[0].body, payload);
    assert.deepEqual(outboxed, []);
  });

  it('retries 5xx and network-level failures, then delivers', async () => {
    script = [status(503), (res) => res.socket?.destroy()];
    const result = await router.send('chat_message', payload, options());
    assert.equal(result.delivered, true);
    assert.equal(received.length, 3);
  });

  it('honours Retry-After on 429', async () => {
    script = [status(429, { 'retry-after': '1' })];
    const started = Date.now();
    const result = await router.send('module', payload, options());
    assert.equal(result.delivered, true);
    assert.equal(received.length, 2);
    assert.ok(Date.now() - started >= 950, 'waited for the announced second');
  });

  it('gives up at once when Retry-After exceeds the time left, keeping the hint', async () => {
    script = [status(503, { 'retry-after': '120' })];
    await assert.rejects(router.send('module', payload, options()), (error: unknown) => {
      assert.ok(error instanceof NodeError);
      assert.equal(error.code, 'HTTP_ERROR');
      assert.equal(error.options.retryable, true);
      assert.equal(error.options.retryAfterMs, 120_000);
      return true;
    });
    assert.equal(received.length, 1);
  });

  it('fails after the last attempt', async () => {
    script = [status(500), status(500), status(500), status(500)];
    await assert.rejects(router.send('chat_message', payload, options()), /router answered 500/);
    assert.equal(received.length, 3);
  });

  it('does not retry other client errors', async () => {
    script = [status(400)];
    await assert.rejects(router.send('chat_message', payload, options()), (error: unknown) => {
      return error instanceof NodeError && error.options.retryable === false && /400/.test(error.message);
    });
    assert.equal(received.length, 1);
  });

  it('bounds the response size', async () => {
    script = [(res) => res.end('x'.repeat(5000))];
    await assert.rejects(router.send('chat_message', payload, options()), /exceeds the limit of 1024 bytes/);
  });

  it('times out on a router that never answers', async () => {
    script = [() => undefined];
    await assert.rejects(
      router.send('chat_message', payload, { timeoutMs: 200, signal: new AbortController().signal }),
      /timed out after 200 ms/,
    );
  });

  it("stops on the caller's AbortSignal", async () => {
    script = [() => undefined];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      router.send('chat_message', payload, { timeoutMs: 5000, signal: controller.signal }),
      (error: unknown) => (error as Error).name === 'AbortError',
    );
  });

  it('treats an empty routerUrl as no router', async () => {
    assert.deepEqual(await delivery.send('browser_source', payload, options()), { delivered: false });
    assert.deepEqual(outboxed, ['browser_source']);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('5', now), 5000);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('1.5', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
