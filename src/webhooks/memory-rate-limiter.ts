/**
 * @module webhooks/memory-rate-limiter
 * The in-process sliding-log rate limiter, for a single `serve` process without Redis. Each key
 * holds at most `limit` sorted timestamps; a periodic sweep drops keys whose newest hit has left
 * its window, so idle webhooks cost nothing.
 */
import { assertRateLimitArguments, type RateLimiter, type RateLimitResult, summarizeWindow } from './rate-limiter.ts';

export interface MemoryRateLimiterOptions {
  /** How often idle keys are swept (default 60 s). The timer does not keep the process alive. */
  readonly sweepIntervalMs?: number;
}

export interface MemoryRateLimiter extends RateLimiter {
  /** Drops keys whose hits have all left their window; returns how many were dropped. */
  sweep(nowMs?: number): number;
  /** Number of keys held (for tests and metrics). */
  keyCount(): number;
  /** Number of timestamps held for a key (for tests: never more than its limit). */
  storedHits(key: string): number;
}

interface KeyLog {
  /** Accepted hits, ascending. */
  timestamps: number[];
  windowMs: number;
}

/** Index of the first timestamp strictly greater than `bound` (timestamps ascending). */
function firstAfter(timestamps: readonly number[], bound: number): number {
  let low = 0;
  let high = timestamps.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timestamps[middle] > bound) high = middle;
    else low = middle + 1;
  }
  return low;
}

export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): MemoryRateLimiter {
  const logs = new Map<string, KeyLog>();
  // The sweep's notion of "now": the latest clock value any hit used, so that injected clocks in
  // tests and replay are swept by their own time rather than the wall clock.
  let clockHighWater = 0;
  const timer = setInterval(() => sweep(), options.sweepIntervalMs ?? 60_000);
  timer.unref();

  function sweep(nowMs?: number): number {
    const now = Math.max(nowMs ?? 0, clockHighWater);
    let dropped = 0;
    for (const [key, log] of logs) {
      const newest = log.timestamps[log.timestamps.length - 1] ?? Number.NEGATIVE_INFINITY;
      if (newest + log.windowMs <= now) {
        logs.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  function hitNow(key: string, limit: number, windowSeconds: number, nowMs?: number): RateLimitResult {
    assertRateLimitArguments(key, limit, windowSeconds, nowMs);
    const now = nowMs ?? Date.now();
    const windowMs = windowSeconds * 1000;
    clockHighWater = Math.max(clockHighWater, now);
    let log = logs.get(key);
    if (!log) {
      log = { timestamps: [], windowMs };
      logs.set(key, log);
    }
    log.windowMs = windowMs;
    const { timestamps } = log;
    const allowed = timestamps.length - firstAfter(timestamps, now - windowMs) < limit;
    if (allowed) timestamps.splice(firstAfter(timestamps, now), 0, now);
    // Only the `limit` newest timestamps can ever decide a hit (see rate-limiter.ts).
    if (timestamps.length > limit) timestamps.splice(0, timestamps.length - limit);
    const firstCounted = firstAfter(timestamps, now - windowMs);
    const count = timestamps.length - firstCounted;
    if (timestamps.length === 0) logs.delete(key);
    const state = {
      allowed,
      count,
      oldestMs: timestamps[firstCounted] ?? now,
      freeingMs: timestamps[firstCounted + Math.max(0, count - limit)] ?? now,
      nowMs: now,
    };
    return summarizeWindow(state, limit, windowMs);
  }

  return {
    async hit(key, limit, windowSeconds, nowMs) {
      return hitNow(key, limit, windowSeconds, nowMs);
    },
    async close() {
      clearInterval(timer);
      logs.clear();
    },
    sweep,
    keyCount: () => logs.size,
    storedHits: (key) => logs.get(key)?.timestamps.length ?? 0,
  };
}
