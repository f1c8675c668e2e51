/**
 * @module panels/webhook-test-call
 * "Send test": the real public trigger of a webhook, called from the browser with the sample body
 * signed here (the secret never leaves the page). It goes through the app's API client, so a
 * refusal, a network failure or a non-JSON answer comes back as the same ApiError (code and
 * message) every other request of the app shows.
 */
import type { Static } from '@sinclair/typebox';
import type { TriggeredSchema } from '../../../src/http/routes/webhook-answers.ts';
import { createApiClient } from '../api/client.ts';
import type { Webhook } from '../api/runs-api.ts';
import { signWebhookBody } from './webhook-curl.ts';

/** The body of the curl example and of "Send test". */
export const SAMPLE_PAYLOAD = { event: 'test', data: 'value' } as const;
export const SAMPLE_BODY = JSON.stringify(SAMPLE_PAYLOAD);

export type TriggerAnswer = Static<typeof TriggeredSchema>;

export type TestTarget = Pick<Webhook, 'url' | 'token' | 'require_signature'>;

export async function sendWebhookTest(
  hook: TestTarget,
  secret: string,
  doFetch: typeof fetch = (input, init) => fetch(input, init),
): Promise<TriggerAnswer> {
  const signature = hook.require_signature ? await signWebhookBody(secret, hook.token, SAMPLE_BODY) : null;
  const client = createApiClient({
    // The trigger is public: no bearer token goes to it.
    token: () => null,
    // The client has no header option; the signature is added here, over exactly the bytes sent.
    fetch: (input, init) =>
      doFetch(input, {
        ...init,
        headers: {
          ...(init?.headers as Record<string, string>),
          ...(signature && { 'x-webhook-signature': signature }),
        },
        body: SAMPLE_BODY,
      }),
  });
  // Same origin as the app: the path of the webhook's public URL (PUBLIC_BASE_URL may name another host).
  const answer = await client.request<TriggerAnswer>('POST', new URL(hook.url).pathname, { body: SAMPLE_PAYLOAD });
  return answer.data;
}
