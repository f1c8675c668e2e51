/**
 * @module services/webhook-idempotency
 * The Idempotency-Key of a webhook call (PRODUCT.md §9): a key seen in the last 24 hours answers
 * what its first call answered; concurrent calls with one key start one execution.
 */
import { AppError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import {
  deleteExpiredIdempotencyKeys,
  findIdempotencyKey,
  type IdempotencyRecord,
  insertIdempotencyKey,
  releaseIdempotencyKey,
} from '../store/webhooks-repository.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const CLAIM_ATTEMPTS = 100;
const CLAIM_WAIT_MS = 20;
const ABANDONED_CLAIM_MS = 30_000;

/**
 * Either the earlier answer for this key, or a claim on it: a row with an empty execution id
 * that concurrent calls with the same key wait on. (A claim rather than one transaction with
 * the execution insert, because the starter's transactional path must not be entered on
 * SQLite's single connection while it reads outside the transaction.)
 */
export async function claimIdempotencyKey(
  db: Db,
  now: () => number,
  webhookId: string,
  key: string,
): Promise<{ replay?: IdempotencyRecord }> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const at = now();
    const notBefore = new Date(at - IDEMPOTENCY_TTL_MS).toISOString();
    const seen = await findIdempotencyKey(db, webhookId, key, notBefore);
    if (seen?.execution_id) return { replay: seen };
    if (seen) {
      // A claim whose process died before it started the execution is taken over.
      if (Date.parse(seen.created_at) < at - ABANDONED_CLAIM_MS)
        await releaseIdempotencyKey(db, webhookId, key, seen.created_at);
      else await new Promise((resolve) => setTimeout(resolve, CLAIM_WAIT_MS));
      continue;
    }
    // A key older than 24 h may be used again: its old row must not block the new one.
    await deleteExpiredIdempotencyKeys(db, notBefore, { webhookId, key });
    try {
      const claimed = {
        webhook_id: webhookId,
        idempotency_key: key,
        execution_id: '',
        response: {},
        created_at: new Date(at).toISOString(),
      };
      await insertIdempotencyKey(db, claimed);
      return {};
    } catch {
      // Another call claimed it between our read and insert: read again.
    }
  }
  throw new AppError('SERVICE_UNAVAILABLE', 'A call with this Idempotency-Key is still being processed; retry shortly');
}
