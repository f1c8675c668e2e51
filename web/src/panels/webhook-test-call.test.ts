import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { SAMPLE_BODY, sendWebhookTest } from './webhook-test-call.ts';

const hook = {
  url: 'https://hooks.example.com/api/v1/workflows/webhooks/tok_1',
  token: 'tok_1',
  require_signature: true,
};

function answering(status: number, text: string, seen: Array<{ url: string; init: RequestInit }> = []): typeof fetch {
  return async (input, init) => {
    seen.push({ url: String(input), init: init ?? {} });
    return new Response(text, { status, headers: { 'content-type': 'application/json' } });
  };
}

describe('sendWebhookTest', () => {
  it('posts the sample body to the path of the public URL, signed over token then body', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const ok = JSON.stringify({ success: true, data: { execution_id: 'e1', webhook_id: 'w', workflow_id: 'f' } });
    const answer = await sendWebhookTest(hook, 'sek', answering(200, ok, seen));
    expect(answer.execution_id).toBe('e1');
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/api/v1/workflows/webhooks/tok_1');
    expect(seen[0].init.method).toBe('POST');
    expect(seen[0].init.body).toBe(SAMPLE_BODY);
    const headers = seen[0].init.headers as Record<string, string>;
    expect(headers['x-webhook-signature']).toBe(
      `sha256=${createHmac('sha256', 'sek').update(`tok_1${SAMPLE_BODY}`).digest('hex')}`,
    );
    expect(headers['content-type']).toBe('application/json');
    expect(headers.authorization).toBeUndefined();
  });

  it('sends no signature header when the webhook does not require one', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    await sendWebhookTest({ ...hook, require_signature: false }, 'sek', answering(200, '{"data":{}}', seen));
    expect((seen[0].init.headers as Record<string, string>)['x-webhook-signature']).toBeUndefined();
  });

  it("throws the API's code and message when the trigger refuses", async () => {
    const refusal = JSON.stringify({
      success: false,
      error: { code: 'WEBHOOK_DISABLED', message: 'Webhook is disabled' },
    });
    const failure = await sendWebhookTest(hook, 'sek', answering(403, refusal)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 403, code: 'WEBHOOK_DISABLED', message: 'Webhook is disabled' });
  });

  it('turns a network failure and a non-JSON answer into NETWORK_ERROR and BAD_RESPONSE', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(sendWebhookTest(hook, 'sek', down)).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: 'The server could not be reached (Failed to fetch)',
    });
    await expect(sendWebhookTest(hook, 'sek', answering(502, '<html>Bad gateway</html>'))).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      message: 'Unexpected answer (502)',
    });
  });
});
