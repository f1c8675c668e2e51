import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from './helpers/app.ts';

const ALLOWED = 'https://studio.example.com';

describe('CORS_ORIGINS on a listening server', () => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await createTestApp({ CORS_ORIGINS: `${ALLOWED}, https://other.example.com` });
    const { port } = await t.app.listen();
    base = `http://127.0.0.1:${port}`;
  });
  after(() => t.close());

  const preflight = (origin: string) =>
    fetch(`${base}/api/v1/workflows?entity_id=1`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('answers a preflight from a listed origin with the CORS headers', async () => {
    const response = await preflight(ALLOWED);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), ALLOWED);
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /authorization/);
  });

  it('gives an unlisted origin no CORS headers', async () => {
    const response = await preflight('https://evil.example.com');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    const get = await fetch(`${base}/api/v1/status`, { headers: { origin: 'https://evil.example.com' } });
    assert.equal(get.headers.get('access-control-allow-origin'), null);
  });

  it('puts the header on real answers, errors included, for a listed origin', async () => {
    const ok = await fetch(`${base}/api/v1/status`, { headers: { origin: ALLOWED } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), ALLOWED);
    const unauthorized = await fetch(`${base}/api/v1/workflows?entity_id=1`, { headers: { origin: ALLOWED } });
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get('access-control-allow-origin'), ALLOWED);
  });
});
