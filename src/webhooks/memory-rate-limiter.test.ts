/** @module webhooks/memory-rate-limiter.test The shared contract suite plus idle-key eviction. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryRateLimiter } from './memory-rate-limiter.ts';
import { runRateLimiterSuite } from './rate-limiter.suite.ts';

runRateLimiterSuite(
  'memory',
  async () => {
    const limiter = createMemoryRateLimiter();
    return { limiter, storedHits: async (key) => limiter.storedHits(key), dispose: () => limiter.close() };
  },
  { propertyRuns: 200 },
);

describe('memory rate limiter eviction', () => {
  it('sweeps keys whose newest hit has left the window, and keeps live ones', async () => {
    const limiter = createMemoryRateLimiter();
    try {
      await limiter.hit('idle', 5, 10, 1_000);
      await limiter.hit('busy', 5, 10, 1_000);
      await limiter.hit('busy', 5, 10, 8_000);
      assert.equal(limiter.keyCount(), 2);
      assert.equal(limiter.sweep(10_999), 0);
      assert.equal(limiter.sweep(11_000), 1);
      assert.equal(limiter.keyCount(), 1);
      assert.equal(limiter.storedHits('busy'), 2);
      assert.equal(limiter.sweep(18_000), 1);
      assert.equal(limiter.keyCount(), 0);
    } finally {
      await limiter.close();
    }
  });

  it('sweeps on its own timer, by the latest clock it has seen', async () => {
    const limiter = createMemoryRateLimiter({ sweepIntervalMs: 20 });
    try {
      await limiter.hit('old', 5, 1, 1_000);
      await limiter.hit('new', 5, 1, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 80));
      assert.equal(limiter.storedHits('old'), 0);
      assert.equal(limiter.storedHits('new'), 1);
    } finally {
      await limiter.close();
    }
  });
});
