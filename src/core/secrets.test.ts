import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretHeaderName, redactHeaders, redactUrl, redactUrlsIn, SECRET_MASK } from './secrets.ts';

describe('secrets', () => {
  it('header names that carry credentials', () => {
    for (const name of [
      'Authorization',
      'Proxy-Authorization',
      'X-Custom-Auth',
      'x-gitlab-token',
      'x-api-key',
      'X-Hub-Signature-256',
      'stripe-signature',
      'Cookie',
      'X-Client-Secret',
      'x-password',
    ]) {
      assert.ok(isSecretHeaderName(name), name);
    }
    for (const name of ['content-type', 'user-agent', 'x-request-id', 'accept', 'x-github-event']) {
      assert.ok(!isSecretHeaderName(name), name);
    }
    assert.deepEqual(redactHeaders({ 'X-Api-Key': 'k', Accept: 'a' }), { 'X-Api-Key': SECRET_MASK, Accept: 'a' });
  });

  it('URL userinfo and secret query values are masked, the rest kept', () => {
    assert.equal(
      redactUrl('http://user:pass@host.example/x?api_key=abc&page=2&sig=s&access_token=t'),
      'http://redacted:redacted@host.example/x?api_key=redacted&page=2&sig=redacted&access_token=redacted',
    );
    assert.equal(redactUrl('https://host.example/a?design=1'), 'https://host.example/a?design=1');
    assert.equal(redactUrl('not a url'), 'not a url');
    assert.equal(
      redactUrlsIn("POST http://u:p@h.example/x?token=1 answered HTTP 500 (see 'https://h.example/?q=1')"),
      "POST http://redacted:redacted@h.example/x?token=redacted answered HTTP 500 (see 'https://h.example/?q=1')",
    );
  });
});
