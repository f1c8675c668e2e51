import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { curlExample, shellQuote, signWebhookBody } from './webhook-curl.ts';

describe('signWebhookBody', () => {
  it('equals the reference: HMAC-SHA256(secret, token ++ body) as sha256=hex', async () => {
    const secret = 's3cret-ü';
    const token = 'tok_abc';
    const body = '{"event":"test","name":"Zoë"}';
    const expected = `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(Buffer.from(token + body, 'utf8'))
      .digest('hex')}`;
    expect(await signWebhookBody(secret, token, body)).toBe(expected);
  });
});

describe('curlExample', () => {
  it('quotes every argument so a shell passes the body through byte for byte', async () => {
    const body = `{"msg":"it's $HOME \`x\`"}`;
    const text = await curlExample({
      url: 'http://localhost:8070/api/v1/workflows/webhooks/t',
      token: 't',
      body,
      secret: 'k',
    });
    expect(text).toContain('X-Webhook-Signature: sha256=');
    const echoed = execFileSync('sh', ['-c', `printf %s ${shellQuote(body)}`], { encoding: 'utf8' });
    expect(echoed).toBe(body);
  });

  it('leaves the signature out without a secret', async () => {
    const text = await curlExample({ url: 'http://x/y', token: 't', body: '{}' });
    expect(text).not.toContain('Signature');
  });
});
