/**
 * The web app as served by `serve`: index.html for the app's pages and deep links, hashed assets
 * cached for a year, the strict Content-Security-Policy, and /api, /health, /metrics, /docs never
 * shadowed (an unknown API path is still the JSON 404).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from './helpers/app.ts';

describe('web app serving', () => {
  let t: TestApp;
  let webDir: string;

  before(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'wfc-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(webDir, 'assets', 'index-AbC123.js'), 'console.log(1)');
    writeFileSync(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await createTestApp({ WEB_DIR: webDir }, { background: false });
  });
  after(async () => {
    await t.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('answers the app with a strict CSP on / and on deep links, without caching index.html', async () => {
    for (const url of [
      '/',
      '/workflows/0b6f3c1e-8d1a-4c59-9d7e-2f8f1b7c9a10',
      '/executions/abc?tab=trace',
      '/sign-in',
    ]) {
      const response = await t.request({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      assert.match(String(response.headers['content-type']), /^text\/html/, url);
      assert.match(response.body, /id="root"/, url);
      assert.equal(response.headers['cache-control'], 'no-cache', url);
      const csp = String(response.headers['content-security-policy']);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /connect-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-eval/);
      assert.doesNotMatch(csp.split(';').find((d) => d.includes('script-src')) ?? '', /unsafe-inline/);
    }
  });

  it('caches hashed assets for a year and other files briefly; a missing file is a 404', async () => {
    const asset = await t.request({ method: 'GET', url: '/assets/index-AbC123.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    assert.match(String(asset.headers['cache-control']), /max-age=31536000.*immutable/);
    const icon = await t.request({ method: 'GET', url: '/favicon.svg' });
    assert.equal(icon.statusCode, 200);
    assert.match(String(icon.headers['cache-control']), /max-age=3600/);
    const missing = await t.request({ method: 'GET', url: '/assets/gone-123.js' });
    assert.equal(missing.statusCode, 404);
    const outside = await t.request({ method: 'GET', url: '/..%2f..%2fetc%2fpasswd' });
    assert.notEqual(outside.statusCode, 500);
    assert.doesNotMatch(outside.body, /root:/);
  });

  it('leaves /api, /health, /metrics and /docs to the server', async () => {
    const unknown = await t.request({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(JSON.parse(unknown.body).error.code, 'NOT_FOUND');
    const api = await t.request({ method: 'GET', url: '/api/v1/status' });
    assert.equal(JSON.parse(api.body).data.status, 'operational');
    const health = await t.request({ method: 'GET', url: '/health' });
    assert.equal(JSON.parse(health.body).data.healthy, true);
    const metrics = await t.request({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /# HELP/);
    const docs = await t.request({ method: 'GET', url: '/docs' });
    assert.doesNotMatch(docs.body, /id="root"/);
    const unknownDocs = await t.request({ method: 'GET', url: '/docs/nothing-here' });
    assert.doesNotMatch(unknownDocs.body, /id="root"/);
    const healthChild = await t.request({ method: 'GET', url: '/health/deep' });
    assert.equal(healthChild.statusCode, 404);
  });
});
