/**
 * @module engine/retry
 * Retry policy of a node: its own `retry`, else the workflow's settings.retry, else one attempt.
 * Backoff is exponential with "equal jitter" (half fixed, half random) so retries of many runs do
 * not line up, and a NodeError's retryAfterMs (HTTP Retry-After on 429/503) is a floor.
 */
import { redactUrlsIn } from '../core/secrets.ts';
import type { RetryPolicy, WorkflowNode, WorkflowSettings } from '../core/workflow.ts';
import { NodeError } from '../nodes/node-type.ts';

export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_MAX_BACKOFF_MS = 30_000;

export interface ResolvedRetry {
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
}

const SINGLE_ATTEMPT: ResolvedRetry = Object.freeze({ maxAttempts: 1, backoffMs: 0, maxBackoffMs: 0 });

export function resolveRetry(node: WorkflowNode, settings: WorkflowSettings): ResolvedRetry {
  const policy: RetryPolicy | undefined = node.retry ?? settings.retry;
  if (!policy) return SINGLE_ATTEMPT;
  const backoffMs = policy.backoff_ms ?? DEFAULT_BACKOFF_MS;
  return {
    maxAttempts: Math.max(1, Math.floor(policy.max_attempts)),
    backoffMs,
    maxBackoffMs: Math.max(backoffMs, policy.max_backoff_ms ?? DEFAULT_MAX_BACKOFF_MS),
  };
}

/** Whether an error thrown by attempt number `attempt` (1-based) deserves another attempt. */
export function shouldRetry(error: unknown, attempt: number, policy: ResolvedRetry): boolean {
  if (attempt >= policy.maxAttempts) return false;
  return !(error instanceof NodeError && error.options.retryable === false);
}

/** Wait before the attempt after failed attempt number `attempt` (1-based). */
export function backoffDelay(
  policy: ResolvedRetry,
  attempt: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.min(attempt - 1, 30));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return retryAfterMs !== undefined && retryAfterMs > jittered ? Math.ceil(retryAfterMs) : jittered;
}

export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof NodeError ? error.options.retryAfterMs : undefined;
}

export function errorCodeOf(error: unknown): string {
  if (error instanceof NodeError) return error.code;
  return 'NODE_ERROR';
}

/** The message recorded for an error; URLs in it lose their credentials (viewers read it). */
export function errorMessageOf(error: unknown): string {
  return redactUrlsIn(error instanceof Error ? error.message || error.name : String(error));
}
