/** @module webhooks/signature.test Webhook HMAC signatures against the reference's Python recipe. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateWebhookSecret, generateWebhookToken, signWebhook, verifyWebhookSignature } from './signature.ts';

const TOKEN = 'tok_3x4mple-Token';
const SECRET = 's3cr3t-ключ';
const BODY = Buffer.from('{"event": "user_joined", "user_id": 123, "name": "café"}', 'utf8');
// Produced by running the api-reference snippet in CPython 3:
//   hmac.new(secret.encode(), token.encode() + body, hashlib.sha256).hexdigest()
const PYTHON_SIGNATURE = 'sha256=a5510c861ceee07eb5def61829f05353cb53d40f6eeae83f738e7071e54bca0b';

describe('signWebhook', () => {
  it('matches the signature the Python snippet computes', () => {
    assert.equal(signWebhook(SECRET, TOKEN, BODY), PYTHON_SIGNATURE);
  });

  it('equals HMAC-SHA256(secret, token bytes ++ body bytes) in lowercase hex', () => {
    const body = Buffer.from([0x00, 0xff, 0x7b, 0x7d]);
    const expected = createHmac('sha256', 'k')
      .update(Buffer.concat([Buffer.from('t'), body]))
      .digest('hex');
    assert.equal(signWebhook('k', 't', body), `sha256=${expected}`);
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts the Python-computed signature', () => {
    assert.equal(verifyWebhookSignature(SECRET, TOKEN, BODY, PYTHON_SIGNATURE), true);
  });

  it('accepts uppercase hex digits (same bytes), but not an uppercase prefix', () => {
    const hex = PYTHON_SIGNATURE.slice('sha256='.length);
    assert.equal(verifyWebhookSignature(SECRET, TOKEN, BODY, `sha256=${hex.toUpperCase()}`), true);
    assert.equal(verifyWebhookSignature(SECRET, TOKEN, BODY, `SHA256=${hex}`), false);
  });

  it('rejects a signature made for a different token', () => {
    const other = signWebhook(SECRET, 'another-token', BODY);
    assert.equal(verifyWebhookSignature(SECRET, TOKEN, BODY, other), false);
  });

  it('rejects a signature made with a different secret', () => {
    assert.equal(verifyWebhookSignature(SECRET, TOKEN, BODY, signWebhook('wrong', TOKEN, BODY)), false);
  });

  it('rejects the same JSON re-serialized with different whitespace', () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(BODY.toString('utf8'))), 'utf8');
    assert.notDeepEqual(reserialized, BODY);
    assert.equal(verifyWebhookSignature(SECRET, TOKEN, reserialized, PYTHON_SIGNATURE), false);
  });

  it('rejects truncated, padded and malformed headers without throwing', () => {
    const bad: unknown[] = [
      PYTHON_SIGNATURE.slice(0, -1),
      PYTHON_SIGNATURE.slice(0, -2),
      `${PYTHON_SIGNATURE}00`,
      `${PYTHON_SIGNATURE} `,
      PYTHON_SIGNATURE.slice('sha256='.length),
      'sha256=',
      `sha256=zz${PYTHON_SIGNATURE.slice(9)}`,
      `sha1=${PYTHON_SIGNATURE.slice(7)}`,
      '',
      undefined,
      null,
      [PYTHON_SIGNATURE],
    ];
    for (const header of bad) {
      assert.equal(
        verifyWebhookSignature(SECRET, TOKEN, BODY, header as string | undefined),
        false,
        `header ${JSON.stringify(header)} must fail`,
      );
    }
  });

  it('works on an empty body', () => {
    const empty = Buffer.alloc(0);
    assert.equal(verifyWebhookSignature(SECRET, TOKEN, empty, signWebhook(SECRET, TOKEN, empty)), true);
    assert.equal(verifyWebhookSignature(SECRET, TOKEN, empty, PYTHON_SIGNATURE), false);
  });
});

describe('token and secret generation', () => {
  it('produces 43-character base64url values that differ each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, generateWebhookToken));
    const secrets = new Set(Array.from({ length: 50 }, generateWebhookSecret));
    assert.equal(tokens.size, 50);
    assert.equal(secrets.size, 50);
    for (const value of [...tokens, ...secrets]) {
      assert.match(value, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(value, 'base64url').length, 32);
    }
  });
});
