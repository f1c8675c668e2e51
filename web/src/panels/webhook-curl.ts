/**
 * @module panels/webhook-curl
 * A ready `curl` for a webhook: the body, and the `X-Webhook-Signature` the reference defines
 * (`sha256=` + hex HMAC-SHA256 keyed with the secret over the token bytes then the body bytes),
 * computed in the browser with WebCrypto, so the secret never leaves it.
 */

const encoder = new TextEncoder();

export async function signWebhookBody(secret: string, token: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const tokenBytes = encoder.encode(token);
  const bodyBytes = encoder.encode(body);
  const message = new Uint8Array(tokenBytes.length + bodyBytes.length);
  message.set(tokenBytes, 0);
  message.set(bodyBytes, tokenBytes.length);
  const digest = new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
  return `sha256=${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** POSIX shell single quotes: safe for any text, quotes included. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  readonly url: string;
  readonly token: string;
  readonly body: string;
  /** Without a secret (not shown any more, or not required) the signature header is left out. */
  readonly secret?: string | null;
}

export async function curlExample(input: CurlInput): Promise<string> {
  const lines = [`curl -sS -X POST ${shellQuote(input.url)}`, `  -H 'Content-Type: application/json'`];
  if (input.secret) {
    const signature = await signWebhookBody(input.secret, input.token, input.body);
    lines.push(`  -H ${shellQuote(`X-Webhook-Signature: ${signature}`)}`);
  }
  lines.push(`  --data-binary ${shellQuote(input.body)}`);
  return lines.join(' \\\n');
}
