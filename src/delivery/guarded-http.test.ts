/**
 * @module delivery/guarded-http.test
 * The guarded client against a stub server on 127.0.0.1. Refused targets are refused before any
 * socket opens; the stub counts its requests to prove that nothing got through. Every refused
 * target here is a loopback (or this-host) address, so that even a broken guard could not send
 * traffic off the machine; the other ranges are covered without sockets in ssrf-guard.test.ts.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { NodeError, type OutboundRequest } from '../nodes/node-type.ts';
import { createGuardedHttpClient } from './guarded-http.ts';
import { createAddressPolicy, type Resolver } from './ssrf-guard.ts';

let server: Server;
let port = 0;
let hits: string[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://stub');
  hits.push(`${req.method} ${url.pathname}`);
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    switch (url.pathname) {
      case '/json':
        res.setHeader('content-type', 'application/json; charset=utf-8');
        return res.end('{"ok":true,"n":3}');
      case '/deep':
        res.setHeader('content-type', 'application/json');
        return res.end(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
      case '/not-json':
        res.setHeader('content-type', 'application/json');
        return res.end('{oops');
      case '/text':
        res.setHeader('content-type', 'text/plain');
        return res.end('hello');
      case '/echo':
        res.setHeader('content-type', 'application/json');
        return res.end(
          JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() }),
        );
      case '/missing':
        res.statusCode = 404;
        return res.end('nope');
      case '/big':
        res.setHeader('content-type', 'text/plain');
        res.write('x'.repeat(3000));
        return res.end('y'.repeat(3000));
      case '/big-declared':
        res.setHeader('content-length', '6000');
        return res.end('z'.repeat(6000));
      case '/slow':
        return; // never answers
      case '/redirect':
        res.statusCode = Number(url.searchParams.get('status') ?? 302);
        res.setHeader('location', url.searchParams.get('to') ?? '/json');
        return res.end();
      case '/loop':
        res.statusCode = 307;
        res.setHeader('location', '/loop');
        return res.end();
      default:
        res.statusCode = 500;
        return res.end();
    }
  });
}

before(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function outbound(url: string, extra: Partial<OutboundRequest> = {}): OutboundRequest {
  return { url, method: 'GET', headers: {}, timeoutMs: 2000, signal: new AbortController().signal, ...extra };
}

function isCode(code: string, retryable?: boolean) {
  return (error: unknown) => {
    assert.ok(error instanceof NodeError, `expected a NodeError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (retryable !== undefined) assert.equal(error.options.retryable ?? false, retryable);
    return true;
  };
}

describe('guarded http with private network allowed (reaching the stub)', () => {
  const client = createGuardedHttpClient({ allowPrivateNetwork: true, maxResponseBytes: 4096 });
  after(() => client.close());

  it('parses JSON responses and returns other content as text', async () => {
    const json = await client.request(outbound(`http://127.0.0.1:${port}/json`));
    assert.equal(json.status, 200);
    assert.deepEqual(json.body, { ok: true, n: 3 });
    assert.match(json.headers['content-type'], /application\/json/);
    assert.equal((await client.request(outbound(`http://127.0.0.1:${port}/text`))).body, 'hello');
    assert.equal((await client.request(outbound(`http://127.0.0.1:${port}/not-json`))).body, '{oops');
  });

  it('refuses JSON nested deeper than request bodies may be, without retrying', async () => {
    const roomy = createGuardedHttpClient({ allowPrivateNetwork: true });
    try {
      await assert.rejects(
        roomy.request(outbound(`http://127.0.0.1:${port}/deep`)),
        (error: unknown) => isCode('RESPONSE_TOO_DEEP', false)(error) && /deeper than 64 levels/.test(String(error)),
      );
    } finally {
      await roomy.close();
    }
  });

  it('sends method, headers and body, dropping framing headers', async () => {
    const response = await client.request(
      outbound(`http://127.0.0.1:${port}/echo`, {
        method: 'post',
        headers: { 'Content-Type': 'application/json', 'X-Custom': 'yes', Host: 'evil.example', 'Content-Length': '1' },
        body: '{"a":1}',
      }),
    );
    const echoed = response.body as { method: string; headers: Record<string, string>; body: string };
    assert.equal(echoed.method, 'POST');
    assert.equal(echoed.body, '{"a":1}');
    assert.equal(echoed.headers['x-custom'], 'yes');
    assert.equal(echoed.headers.host, `127.0.0.1:${port}`);
    assert.equal(echoed.headers['user-agent'], 'workflow-core');
  });

  it('returns non-2xx answers as responses', async () => {
    const response = await client.request(outbound(`http://127.0.0.1:${port}/missing`));
    assert.equal(response.status, 404);
    assert.equal(response.body, 'nope');
  });

  it('aborts a body larger than the limit', async () => {
    await assert.rejects(client.request(outbound(`http://127.0.0.1:${port}/big`)), isCode('HTTP_ERROR', false));
    await assert.rejects(
      client.request(outbound(`http://127.0.0.1:${port}/big-declared`)),
      isCode('HTTP_ERROR', false),
    );
  });

  it('times out, retryably', async () => {
    await assert.rejects(client.request(outbound(`http://127.0.0.1:${port}/slow`, { timeoutMs: 150 })), (error) => {
      isCode('HTTP_ERROR', true)(error);
      return /timed out after 150 ms/.test((error as Error).message);
    });
  });

  it("honours the caller's AbortSignal with an AbortError", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      client.request(outbound(`http://127.0.0.1:${port}/slow`, { signal: controller.signal })),
      (error: unknown) => (error as Error).name === 'AbortError',
    );
  });

  it('follows redirects, turning a POST into a GET on 303', async () => {
    const to = encodeURIComponent('/echo');
    const response = await client.request(
      outbound(`http://127.0.0.1:${port}/redirect?status=303&to=${to}`, {
        method: 'POST',
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
    );
    assert.equal((response.body as { method: string }).method, 'GET');
  });

  it('keeps method and body on 307', async () => {
    const to = encodeURIComponent('/echo');
    const response = await client.request(
      outbound(`http://127.0.0.1:${port}/redirect?status=307&to=${to}`, { method: 'PUT', body: 'kept' }),
    );
    assert.deepEqual(
      [(response.body as { method: string }).method, (response.body as { body: string }).body],
      ['PUT', 'kept'],
    );
  });

  it('gives up after 5 redirects', async () => {
    hits = [];
    await assert.rejects(client.request(outbound(`http://127.0.0.1:${port}/loop`)), (error) => {
      isCode('HTTP_ERROR', false)(error);
      return /too many redirects/.test((error as Error).message);
    });
    assert.equal(hits.length, 6);
  });

  it('still refuses schemes other than http and https', async () => {
    for (const url of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'gopher://127.0.0.1:70/']) {
      await assert.rejects(client.request(outbound(url)), isCode('SSRF_BLOCKED', false));
    }
  });
});

describe('guarded http refusing private addresses', () => {
  const client = createGuardedHttpClient();
  after(() => client.close());

  const refused = [
    () => `http://127.0.0.1:${port}/json`,
    () => `http://2130706433:${port}/json`,
    () => `http://0x7f.1:${port}/json`,
    () => `http://0177.0.0.1:${port}/json`,
    () => `http://127.1:${port}/json`,
    () => `http://[::1]:${port}/json`,
    () => `http://[::ffff:127.0.0.1]:${port}/json`,
    () => `http://[::ffff:7f00:1]:${port}/json`,
    () => `http://[::127.0.0.1]:${port}/json`,
    () => `http://[64:ff9b::127.0.0.1]:${port}/json`,
    () => `http://[2002:7f00:1::]:${port}/json`,
    () => `http://localhost:${port}/json`,
    () => `http://0.0.0.0:${port}/json`,
    () => `http://[::]:${port}/json`,
  ];
  for (const target of refused) {
    it(`refuses ${target().replace(String(port), 'PORT')}`, async () => {
      hits = [];
      await assert.rejects(client.request(outbound(target())), isCode('SSRF_BLOCKED', false));
      assert.deepEqual(hits, [], 'no request reached the stub');
    });
  }
});

describe('guarded http with an injected resolver and policy (redirect checks)', () => {
  const names: Record<string, string[]> = {
    'public.test': ['127.0.0.1'],
    'internal.test': ['127.0.0.2'],
    'mapped.test': ['::ffff:127.0.0.1'],
    'mixed.test': ['127.0.0.1', '127.0.0.2'],
  };
  let lookups: string[] = [];
  const resolve: Resolver = async (hostname) => {
    lookups.push(hostname);
    const answers = names[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  // The stub's own address plays "a public server"; everything else keeps the default policy.
  const client = createGuardedHttpClient({
    resolve,
    addressPolicy: createAddressPolicy({ allowAddresses: ['127.0.0.1'] }),
  });
  after(() => client.close());

  it('connects to the address the checked lookup returned', async () => {
    lookups = [];
    const response = await client.request(outbound(`http://public.test:${port}/json`));
    assert.deepEqual(response.body, { ok: true, n: 3 });
    assert.deepEqual(lookups, ['public.test'], 'one resolution, used both for the check and the connection');
  });

  for (const [label, target] of [
    ['a name resolving to a private address', () => `http://internal.test:${port}/json`],
    ['a private IP literal', () => `http://127.0.0.2:${port}/json`],
    ['[::1]', () => `http://[::1]:${port}/json`],
    ['the IPv4-mapped spelling of the exempted address', () => `http://mapped.test:${port}/json`],
  ] as const) {
    it(`refuses a redirect from the allowed stub to ${label}`, async () => {
      hits = [];
      const url = `http://public.test:${port}/redirect?to=${encodeURIComponent(target())}`;
      await assert.rejects(client.request(outbound(url)), isCode('SSRF_BLOCKED', false));
      assert.deepEqual(hits, ['GET /redirect'], 'only the redirecting request was sent');
    });
  }

  it('refuses a name when any of its addresses is refused', async () => {
    hits = [];
    await assert.rejects(client.request(outbound(`http://mixed.test:${port}/json`)), isCode('SSRF_BLOCKED', false));
    assert.deepEqual(hits, []);
  });

  it('re-checks after a redirect between two allowed hops too', async () => {
    const to = encodeURIComponent(`http://public.test:${port}/json`);
    const response = await client.request(outbound(`http://127.0.0.1:${port}/redirect?to=${to}`));
    assert.deepEqual(response.body, { ok: true, n: 3 });
  });

  it('reports unknown names as retryable HTTP errors', async () => {
    await assert.rejects(client.request(outbound(`http://nowhere.test:${port}/`)), isCode('HTTP_ERROR', true));
  });
});
