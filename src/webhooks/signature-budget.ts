/**
 * @module webhooks/signature-budget
 * Failed signature checks per webhook count against a budget (PRODUCT.md §9). Each failure is a
 * hit on the shared rate limiter (Redis when configured), so every process sees the same count;
 * once a process learns the budget is spent it refuses that webhook's calls locally, without
 * computing any HMAC, until the window frees a slot.
 */
import type { RateLimiter } from './rate-limiter.ts';

const WINDOW_SECONDS = 60;
const MAX_BLOCKED = 10_000;

export interface SignatureBudget {
  /** Seconds until this webhook may be checked again; 0 when its budget has room. */
  retryAfterSeconds(webhookId: string): number;
  /** Counts one failed check. */
  failed(webhookId: string): Promise<void>;
}

export function createSignatureBudget(
  limiter: RateLimiter,
  failuresPerMinute: number,
  now: () => number = Date.now,
): SignatureBudget {
  const blockedUntil = new Map<string, number>();
  return {
    retryAfterSeconds(webhookId) {
      const until = blockedUntil.get(webhookId);
      if (until === undefined) return 0;
      const left = until - now();
      if (left > 0) return Math.ceil(left / 1000);
      blockedUntil.delete(webhookId);
      return 0;
    },
    async failed(webhookId) {
      const result = await limiter.hit(`signature-failures:${webhookId}`, failuresPerMinute, WINDOW_SECONDS, now());
      if (result.allowed && result.remaining > 0) return;
      const until = result.allowed ? result.resetEpochSeconds * 1000 : now() + result.retryAfterSeconds * 1000;
      if (blockedUntil.size >= MAX_BLOCKED) blockedUntil.delete(blockedUntil.keys().next().value as string);
      blockedUntil.set(webhookId, until);
    },
  };
}
