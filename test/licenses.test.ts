/**
 * RELEASE_MODE: creating a workflow needs a license. A local stub license server refuses,
 * stalls, errors and answers each tier; an offline signed key works without any server.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { greetingWorkflow } from './helpers/fixtures.ts';

type ErrorBody = { error: { code: string; message: string } };

const TIERS: Record<string, { status: number; body?: unknown; stall?: boolean }> = {
  'key-premium': { status: 200, body: { valid: true, tier: 'premium' } },
  'key-wrapped': { status: 200, body: { success: true, data: { valid: true, tier: 'pro' } } },
  'key-free': { status: 200, body: { valid: true, tier: 'free' } },
  'key-expired': { status: 200, body: { valid: true, tier: 'premium', expires_at: '2020-01-01T00:00:00Z' } },
  'key-unknown': { status: 404, body: { valid: false, reason: 'unknown license key' } },
  'key-500': { status: 500, body: { error: 'boom' } },
  'key-garbage': { status: 200, body: 'not json at all' },
  'key-stall': { status: 200, stall: true },
};

describe('licenses in release mode', () => {
  let server: Server;
  let calls = 0;
  let t: TestApp;
  let token: string;

  before(async () => {
    server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => {
        raw += chunk;
      });
      request.on('end', () => {
        calls++;
        const { license_key } = JSON.parse(raw) as { license_key: string };
        const tier = TIERS[license_key] ?? TIERS['key-unknown'];
        if (tier.stall) return; // never answers
        response.writeHead(tier.status, { 'content-type': 'application/json' });
        response.end(typeof tier.body === 'string' ? tier.body : JSON.stringify(tier.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    t = await createTestApp({ RELEASE_MODE: 'true', LICENSE_SERVER_URL: `http://127.0.0.1:${port}` });
    token = await t.token({ userId: 'streamer' });
  });
  after(async () => {
    await t.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function create(licenseKey?: string) {
    return t.request({
      method: 'POST',
      url: '/api/v1/workflows',
      token,
      payload: greetingWorkflow(licenseKey ? { license_key: licenseKey } : {}),
    });
  }

  it('accepts paid tiers, including a server that wraps its answer', async () => {
    assert.equal((await create('key-premium')).statusCode, 201);
    assert.equal((await create('key-wrapped')).statusCode, 201);
  });

  const refusals: Array<[string | undefined, RegExp]> = [
    [undefined, /required/],
    ['key-free', /free tier/],
    ['key-expired', /expired/],
    ['key-unknown', /unknown/],
    ['key-500', /unavailable/],
    ['key-garbage', /unavailable/],
    ['key-stall', /unavailable/],
  ];
  for (const [key, reason] of refusals) {
    it(`refuses ${key ?? 'a missing key'} with 402 saying why`, async () => {
      const response = await create(key);
      assert.equal(response.statusCode, 402, response.body);
      const body = json<ErrorBody>(response);
      assert.equal(body.error.code, 'PAYMENT_REQUIRED');
      assert.match(body.error.message, reason);
    });
  }

  it('caches a verdict per community and key', async () => {
    const before = calls;
    await create('key-premium');
    await create('key-premium');
    assert.equal(calls, before, 'the earlier verdict was reused');
  });

  it('reports release mode in the status answer', async () => {
    const status = json<{ data: { features: { release_mode: boolean } } }>(
      await t.request({ method: 'GET', url: '/api/v1/status' }),
    );
    assert.equal(status.data.features.release_mode, true);
  });
});

describe('a license server that refuses connections', () => {
  it('answers 402 saying the server is unavailable, never 500', async () => {
    // Bind a port, then close it: nothing listens there any more, so connections are refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const t = await createTestApp({ RELEASE_MODE: 'true', LICENSE_SERVER_URL: `http://127.0.0.1:${port}` });
    try {
      const token = await t.token({ userId: 'u' });
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/workflows',
        token,
        payload: greetingWorkflow({ license_key: 'key-premium' }),
      });
      assert.equal(response.statusCode, 402);
      assert.match(json<ErrorBody>(response).error.message, /unavailable/);
    } finally {
      await t.close();
    }
  });
});

describe('offline license keys', () => {
  let t: TestApp;
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  before(async () => {
    t = await createTestApp({
      RELEASE_MODE: 'true',
      LICENSE_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
  });
  after(() => t.close());

  const sign = (claims: Record<string, unknown>, expires = '30d') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).setExpirationTime(expires).sign(privateKey);

  it('accepts a signed key for the community and refuses others', async () => {
    const token = await t.token({ userId: 'u' });
    const create = async (key: string) =>
      t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: greetingWorkflow({ license_key: key }) });
    assert.equal((await create(await sign({ community_id: 456, tier: 'premium' }))).statusCode, 201);
    const other = await create(await sign({ community_id: 999, tier: 'premium' }));
    assert.equal(other.statusCode, 402);
    assert.match(json<ErrorBody>(other).error.message, /another community/);
    const free = await create(await sign({ community_id: 456, tier: 'free' }));
    assert.match(json<ErrorBody>(free).error.message, /free tier/);
    const expired = await create(await sign({ community_id: 456, tier: 'premium' }, '-1h'));
    assert.match(json<ErrorBody>(expired).error.message, /expired/);
    const forged = await create('eyJhbGciOiJub25lIn0.eyJjb21tdW5pdHlfaWQiOjQ1Nn0.');
    assert.equal(forged.statusCode, 402);
  });
});
