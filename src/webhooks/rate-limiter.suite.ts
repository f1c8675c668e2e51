/**
 * @module webhooks/rate-limiter.suite
 * The one behaviour suite every RateLimiter implementation must pass (run from
 * memory-rate-limiter.test.ts and redis-rate-limiter.test.ts). Clocks are injected so each case
 * is deterministic, except the one that checks the implementation's own clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { RateLimiter, RateLimitResult } from './rate-limiter.ts';

export interface RateLimiterHarness {
  readonly limiter: RateLimiter;
  /** Timestamps the implementation holds for a key (to check the memory bound). */
  storedHits(key: string): Promise<number>;
  /** Removes everything the run created, then closes. */
  dispose(): Promise<void>;
}

export interface RateLimiterSuiteOptions {
  readonly propertyRuns: number;
}

// Aligned on a 10 s boundary so "the edge of two fixed windows" is exactly at BASE + 10 000.
const BASE = 1_700_000_000_000;

/** The greedy sliding log, written as plainly as possible, for calls processed in time order. */
function modelAllowed(arrivals: readonly number[], limit: number, windowMs: number): boolean[] {
  const accepted: number[] = [];
  return arrivals.map((at) => {
    const inWindow = accepted.filter((t) => t > at - windowMs).length;
    if (inWindow >= limit) return false;
    accepted.push(at);
    return true;
  });
}

function maxAcceptedInAnyWindow(acceptedTimes: readonly number[], windowMs: number): number {
  const sorted = [...acceptedTimes].sort((a, b) => a - b);
  let worst = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    let j = i;
    while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j += 1;
    worst = Math.max(worst, j - i);
  }
  return worst;
}

export function runRateLimiterSuite(
  name: string,
  createHarness: () => Promise<RateLimiterHarness>,
  options: RateLimiterSuiteOptions,
): void {
  describe(`RateLimiter contract: ${name}`, () => {
    let harness: RateLimiterHarness;
    let keySerial = 0;
    const freshKey = () => `k${++keySerial}`;
    const hitAt = (key: string, limit: number, windowSeconds: number, offsetMs: number): Promise<RateLimitResult> =>
      harness.limiter.hit(key, limit, windowSeconds, BASE + offsetMs);

    before(async () => {
      harness = await createHarness();
    });
    after(async () => {
      await harness.dispose();
    });

    it('allows exactly `limit` hits per window, counting `remaining` down', async () => {
      const key = freshKey();
      const results: RateLimitResult[] = [];
      for (let i = 0; i < 6; i += 1) results.push(await hitAt(key, 5, 60, i * 10));
      assert.deepEqual(
        results.map((r) => r.allowed),
        [true, true, true, true, true, false],
      );
      assert.deepEqual(
        results.map((r) => r.remaining),
        [4, 3, 2, 1, 0, 0],
      );
      assert.ok(results.every((r) => r.limit === 5));
    });

    it('reports reset as the oldest counted hit leaving the window, and Retry-After on rejection', async () => {
      const key = freshKey();
      for (const at of [0, 1000, 2000]) {
        const r = await hitAt(key, 3, 10, at);
        assert.equal(r.resetEpochSeconds, (BASE + 10_000) / 1000);
        assert.equal(r.retryAfterSeconds, 0);
      }
      const rejected = await hitAt(key, 3, 10, 3000);
      assert.equal(rejected.allowed, false);
      assert.equal(rejected.retryAfterSeconds, 7);
      const stillRejected = await hitAt(key, 3, 10, 9999);
      assert.equal(stillRejected.allowed, false);
      assert.equal(stillRejected.retryAfterSeconds, 1);
      // The hit at 0 leaves the window at exactly 10 000; the next oldest then decides the reset.
      const afterExit = await hitAt(key, 3, 10, 10_000);
      assert.equal(afterExit.allowed, true);
      assert.equal(afterExit.remaining, 0);
      assert.equal(afterExit.resetEpochSeconds, (BASE + 11_000) / 1000);
    });

    it('does not let a burst at the edge of two fixed windows pass twice the limit', async () => {
      const key = freshKey();
      const first = await Promise.all(Array.from({ length: 5 }, () => hitAt(key, 5, 10, 9_900)));
      const second = await Promise.all(Array.from({ length: 5 }, () => hitAt(key, 5, 10, 10_100)));
      assert.equal(first.filter((r) => r.allowed).length, 5);
      assert.equal(second.filter((r) => r.allowed).length, 0);
      assert.equal((await hitAt(key, 5, 10, 19_899)).allowed, false);
      assert.equal((await hitAt(key, 5, 10, 19_900)).allowed, true);
    });

    it('does not record rejected hits, so a flood does not extend the lockout', async () => {
      const key = freshKey();
      await hitAt(key, 2, 1, 0);
      await hitAt(key, 2, 1, 10);
      const flood = await Promise.all(Array.from({ length: 50 }, (_, i) => hitAt(key, 2, 1, 20 + i * 10)));
      assert.ok(flood.every((r) => !r.allowed));
      assert.equal((await hitAt(key, 2, 1, 1000)).allowed, true);
    });

    it('keeps keys independent', async () => {
      const a = freshKey();
      const b = freshKey();
      assert.equal((await hitAt(a, 1, 60, 0)).allowed, true);
      assert.equal((await hitAt(a, 1, 60, 1)).allowed, false);
      assert.equal((await hitAt(b, 1, 60, 1)).allowed, true);
    });

    it('holds at most `limit` timestamps per key', async () => {
      const key = freshKey();
      for (let i = 0; i < 40; i += 1) await hitAt(key, 3, 1, i * 5_000);
      assert.ok((await harness.storedHits(key)) <= 3);
    });

    it('uses its own clock when no nowMs is given', async () => {
      const key = freshKey();
      const before = Date.now();
      const first = await harness.limiter.hit(key, 1, 30);
      const second = await harness.limiter.hit(key, 1, 30);
      assert.equal(first.allowed, true);
      assert.equal(second.allowed, false);
      assert.ok(second.retryAfterSeconds >= 1 && second.retryAfterSeconds <= 30);
      // Generous bounds: the Redis server clock may differ slightly from ours.
      assert.ok(first.resetEpochSeconds >= Math.floor(before / 1000) + 25);
      assert.ok(first.resetEpochSeconds <= Math.ceil(Date.now() / 1000) + 35);
    });

    it('rejects arguments no window can honour', async () => {
      await assert.rejects(harness.limiter.hit(freshKey(), 0, 60), RangeError);
      await assert.rejects(harness.limiter.hit(freshKey(), 1.5, 60), RangeError);
      await assert.rejects(harness.limiter.hit(freshKey(), 5, 0), RangeError);
      await assert.rejects(harness.limiter.hit('', 5, 60), RangeError);
    });

    it('property: concurrent calls in any arrival order never exceed `limit` in any window', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 3 }),
          fc.array(fc.integer({ min: 0, max: 8_000 }), { minLength: 1, maxLength: 40 }),
          async (limit, windowSeconds, arrivals) => {
            const key = freshKey();
            const results = await Promise.all(arrivals.map((at) => hitAt(key, limit, windowSeconds, at)));
            const accepted = arrivals.filter((_, i) => results[i].allowed);
            assert.ok(maxAcceptedInAnyWindow(accepted, windowSeconds * 1000) <= limit);
            assert.ok(accepted.length >= 1, 'the first call processed always fits');
          },
        ),
        { numRuns: options.propertyRuns },
      );
    });

    it('property: calls processed in time order get exactly the sliding-log answer', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 3 }),
          fc.array(fc.integer({ min: 0, max: 8_000 }), { minLength: 1, maxLength: 40 }),
          async (limit, windowSeconds, unsorted) => {
            const key = freshKey();
            const arrivals = [...unsorted].sort((a, b) => a - b);
            const allowed: boolean[] = [];
            for (const at of arrivals) allowed.push((await hitAt(key, limit, windowSeconds, at)).allowed);
            assert.deepEqual(allowed, modelAllowed(arrivals, limit, windowSeconds * 1000));
          },
        ),
        { numRuns: options.propertyRuns },
      );
    });
  });
}
