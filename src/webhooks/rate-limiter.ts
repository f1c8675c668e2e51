/**
 * @module webhooks/rate-limiter
 * The webhook rate-limit contract, shared by the in-memory and the Redis implementation: an exact
 * sliding window kept as a log of the timestamps of accepted hits.
 *
 * Semantics both implementations follow (and rate-limiter.suite.ts checks):
 * - a hit at `now` is accepted when fewer than `limit` accepted hits have a timestamp greater than
 *   `now - windowMs`; rejected hits are not recorded, so a flood does not lock a key out forever;
 * - hits "in the future" of `now` (calls processed out of order) count too, which keeps the
 *   guarantee exact: no half-open interval of `windowSeconds` ever holds more than `limit`
 *   accepted hits, whatever order concurrent calls arrive in;
 * - at most the `limit` newest timestamps are kept per key (older ones can never decide anything);
 * - reset is when the oldest counted hit leaves the window; `retryAfterSeconds` (rejections only)
 *   is when enough hits have left it for one more to pass.
 */

export interface RateLimitResult {
  readonly allowed: boolean;
  readonly limit: number;
  /** Hits still allowed in the current window after this one. */
  readonly remaining: number;
  /** Epoch seconds (rounded up) when the oldest counted hit leaves the window: `X-RateLimit-Reset`. */
  readonly resetEpochSeconds: number;
  /** Whole seconds (rounded up, at least 1) until a hit would pass; 0 when allowed: `Retry-After`. */
  readonly retryAfterSeconds: number;
}

export interface RateLimiter {
  /**
   * Records one hit on `key` if it fits. `nowMs` pins the clock (tests, replay); without it the
   * implementation's clock is used (Redis: the server's TIME, shared by every process).
   */
  hit(key: string, limit: number, windowSeconds: number, nowMs?: number): Promise<RateLimitResult>;
  close(): Promise<void>;
}

/** Throws a RangeError for arguments no window could honour. */
export function assertRateLimitArguments(key: string, limit: number, windowSeconds: number, nowMs?: number): void {
  if (typeof key !== 'string' || key === '') throw new RangeError('rate limit key must be a non-empty string');
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new RangeError(`rate limit must be an integer >= 1, got ${limit}`);
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError(`rate limit window must be a positive number of seconds, got ${windowSeconds}`);
  }
  if (nowMs !== undefined && !Number.isFinite(nowMs))
    throw new RangeError(`nowMs must be a finite number, got ${nowMs}`);
}

/** What a window looks like after a hit, as either implementation observes it atomically. */
export interface WindowState {
  readonly allowed: boolean;
  /** Accepted hits counted in the window at `nowMs`, this one included when accepted. */
  readonly count: number;
  /** Timestamp of the oldest counted hit (any value when `count` is 0). */
  readonly oldestMs: number;
  /** Timestamp of the counted hit whose exit frees a slot: index `max(0, count - limit)`. */
  readonly freeingMs: number;
  readonly nowMs: number;
}

/** Turns a window state into the answer, so both implementations report the same numbers. */
export function summarizeWindow(state: WindowState, limit: number, windowMs: number): RateLimitResult {
  const oldest = state.count > 0 ? state.oldestMs : state.nowMs;
  const resetEpochSeconds = Math.ceil((oldest + windowMs) / 1000);
  const retryAfterSeconds = state.allowed
    ? 0
    : Math.max(1, Math.ceil(((state.count > 0 ? state.freeingMs : state.nowMs) + windowMs - state.nowMs) / 1000));
  return {
    allowed: state.allowed,
    limit,
    remaining: Math.max(0, limit - state.count),
    resetEpochSeconds,
    retryAfterSeconds,
  };
}
