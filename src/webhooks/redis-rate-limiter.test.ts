/**
 * @module webhooks/redis-rate-limiter.test
 * The shared contract suite against a real Redis (127.0.0.1:6379, or REDIS_URL), under a key
 * prefix unique to this run; every key it creates is deleted afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { runRateLimiterSuite } from './rate-limiter.suite.ts';
import { createRedisRateLimiter } from './redis-rate-limiter.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function uniquePrefix(): string {
  return `wfc-test:ratelimit:${process.pid}-${randomBytes(4).toString('hex')}:`;
}

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

runRateLimiterSuite(
  'redis',
  async () => {
    const redis = new Redis(REDIS_URL);
    const prefix = uniquePrefix();
    const limiter = createRedisRateLimiter({ redis, keyPrefix: prefix });
    return {
      limiter,
      storedHits: (key) => redis.zcard(prefix + key),
      async dispose() {
        await limiter.close();
        await deleteByPrefix(redis, prefix);
        await redis.quit();
      },
    };
  },
  { propertyRuns: 60 },
);

describe('redis rate limiter specifics', () => {
  let redis: Redis;
  const prefix = uniquePrefix();
  before(() => {
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    await deleteByPrefix(redis, prefix);
    await redis.quit();
  });

  it('stores hits under the configured prefix with a TTL of about one window', async () => {
    const limiter = createRedisRateLimiter({ redis, keyPrefix: prefix });
    await limiter.hit('ttl', 3, 20, 5_000);
    await limiter.hit('ttl', 3, 20, 6_000);
    const ttl = await redis.pttl(`${prefix}ttl`);
    assert.ok(ttl > 15_000 && ttl <= 20_000, `pttl ${ttl}`);
    assert.equal(await redis.zcard(`${prefix}ttl`), 2);
    await limiter.close();
    assert.equal(redis.status, 'ready', 'a borrowed connection stays open');
  });

  it('lets an idle key vanish once its window has passed', async () => {
    const limiter = createRedisRateLimiter({ redis, keyPrefix: prefix });
    await limiter.hit('short', 1, 0.05);
    assert.equal(await redis.exists(`${prefix}short`), 1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(await redis.exists(`${prefix}short`), 0);
  });

  it('shares one window between two limiter instances (two processes)', async () => {
    const other = new Redis(REDIS_URL);
    try {
      const a = createRedisRateLimiter({ redis, keyPrefix: prefix });
      const b = createRedisRateLimiter({ redis: other, keyPrefix: prefix });
      const results = await Promise.all([
        a.hit('shared', 2, 60),
        b.hit('shared', 2, 60),
        a.hit('shared', 2, 60),
        b.hit('shared', 2, 60),
      ]);
      assert.equal(results.filter((r) => r.allowed).length, 2);
    } finally {
      await other.quit();
    }
  });

  it('falls back to EVAL when the server does not know the script (NOSCRIPT)', async () => {
    const calls: string[] = [];
    // A connection whose script cache is empty: EVALSHA fails, EVAL goes to the real server.
    const forgetful = {
      async evalsha() {
        calls.push('evalsha');
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      },
      eval(...args: Parameters<Redis['eval']>) {
        calls.push('eval');
        return redis.eval(...args);
      },
    } as unknown as Redis;
    const limiter = createRedisRateLimiter({ redis: forgetful, keyPrefix: prefix });
    assert.equal((await limiter.hit('fallback', 1, 60, 1_000)).allowed, true);
    assert.equal((await limiter.hit('fallback', 1, 60, 1_001)).allowed, false);
    assert.deepEqual(calls, ['evalsha', 'eval', 'evalsha', 'eval']);
    assert.equal(await redis.zcard(`${prefix}fallback`), 1);
  });

  it('does not swallow other Redis errors', async () => {
    const broken = {
      async evalsha() {
        throw new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
      },
    } as unknown as Redis;
    const limiter = createRedisRateLimiter({ redis: broken, keyPrefix: prefix });
    await assert.rejects(limiter.hit('x', 1, 60), /WRONGTYPE/);
  });
});
