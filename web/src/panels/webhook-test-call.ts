/**
 * @module panels/webhook-test-call
 * "Send test": the real public trigger of a webhook, called from the browser with the sample body
 * signed here (the secret never leaves the page). It goes through the app's API client, so a
 * refusal, a network failure or a non-JSON answer comes back as the same ApiError (code and
 * message) every other request of the app shows.
 */
import { createApiClient } from '../api/client.ts';
import { signWebhookBody } from './webhook-curl.ts';

/** The body of the curl example and of "Send test". */
export const SAMPLE_PAYLOAD = { event: 'test', data: 'value' } as const;
export const SAMPLE_BODY = JSON.stringify(SAMPLE_PAYLOAD);

export interface TriggerAnswer {
  readonly execution_id: string;
  readonly webhook_id: string;
  readonly workflow_id: string;
  readonly status: string;
}

export interface TestTarget {
  readonly url: string;
  readonly token: string;
  readonly require_signature: boolean;
}

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
