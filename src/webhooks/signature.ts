/**
 * @module webhooks/signature
 * HMAC-SHA256 webhook signatures as the API reference defines them:
 * `'sha256=' + hex(HMAC(secret utf-8, token utf-8 ++ raw body bytes))`, verified in constant time,
 * plus generation of webhook tokens and signing secrets.
 *
 * Header format accepted by verification: the literal lowercase prefix `sha256=` followed by exactly
 * 64 hex digits, in either case (hex is case-insensitive: it names the same bytes, and some clients
 * print uppercase). Anything else (other prefix, truncated or padded digest, stray characters) is
 * simply `false`; verification never throws on caller input.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-webhook-signature';
export const SIGNATURE_PREFIX = 'sha256=';

const DIGEST_BYTES = 32;
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

function computeDigest(secret: string, token: string, rawBody: Buffer): Buffer {
  const hmac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  // Token bytes first, then the body bytes exactly as received: re-serialising the JSON would
  // change whitespace and key order, and with them the signature.
  hmac.update(Buffer.from(token, 'utf8'));
  hmac.update(rawBody);
  return hmac.digest();
}

/** The `X-Webhook-Signature` value a sender computes for this body: `sha256=<lowercase hex>`. */
export function signWebhook(secret: string, token: string, rawBody: Buffer): string {
  return SIGNATURE_PREFIX + computeDigest(secret, token, rawBody).toString('hex');
}

/**
 * True when `header` is a valid signature of `rawBody` for this webhook. The comparison runs over
 * two 32-byte buffers with `timingSafeEqual`, so its time does not depend on how many bytes match.
 */
export function verifyWebhookSignature(
  secret: string,
  token: string,
  rawBody: Buffer,
  header: string | readonly string[] | null | undefined,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(SIGNATURE_PREFIX)) return false;
  const hex = header.slice(SIGNATURE_PREFIX.length);
  // The shape check looks at the attacker's input only, never at the secret digest.
  if (!HEX_DIGEST.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = computeDigest(secret, token, rawBody);
  if (given.length !== DIGEST_BYTES || expected.length !== DIGEST_BYTES) return false;
  return timingSafeEqual(given, expected);
}

/** A URL-safe webhook token: 32 random bytes, base64url (43 characters, no padding). */
export function generateWebhookToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A signing secret for `require_signature` webhooks: 32 random bytes, base64url. Senders use the
 * string as-is (its UTF-8 bytes are the HMAC key), matching the reference's `secret.encode()`.
 */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}
