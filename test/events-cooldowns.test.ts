/**
 * The cooldown store contract, run against the in-memory store and the Redis one (a unique key
 * prefix, removed afterwards).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { type Cooldowns, createMemoryCooldowns, createRedisCooldowns } from '../src/services/cooldowns.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function contract(name: string, make: () => Cooldowns) {
  describe(`${name} cooldowns`, () => {
    const store = make();
    after(() => store.close());

    it('claims a free key once until its ttl passes', async () => {
      assert.equal(await store.claim([{ key: 'a', ttlMs: 150 }]), -1);
      assert.equal(await store.claim([{ key: 'a', ttlMs: 150 }]), 0);
      await sleep(200);
      assert.equal(await store.claim([{ key: 'a', ttlMs: 150 }]), -1);
    });

    it('claims several keys all or none, naming the first held one', async () => {
      assert.equal(await store.claim([{ key: 'user', ttlMs: 10_000 }]), -1);
      assert.equal(
        await store.claim([
          { key: 'trigger', ttlMs: 10_000 },
          { key: 'user', ttlMs: 10_000 },
        ]),
        1,
      );
      // The refused claim did not take "trigger".
      assert.equal(await store.claim([{ key: 'trigger', ttlMs: 10_000 }]), -1);
    });

    it('claims nothing for an empty list', async () => {
      assert.equal(await store.claim([]), -1);
    });
  });
}

contract('memory', () => createMemoryCooldowns());

const prefix = `test:cooldowns:${randomBytes(6).toString('hex')}:`;
contract('redis', () => createRedisCooldowns({ url: REDIS_URL, prefix }));

after(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('memory cooldowns stay bounded', () => {
  it('sweeps expired keys once past the threshold', async () => {
    let now = 0;
    const store = createMemoryCooldowns({ now: () => now, sweepAbove: 10 });
    for (let i = 0; i < 10; i++) await store.claim([{ key: `k${i}`, ttlMs: 5 }]);
    now = 100;
    await store.claim([{ key: 'fresh', ttlMs: 5 }]);
    // Expired keys were dropped: claiming them again works, and the live one is still held.
    assert.equal(await store.claim([{ key: 'fresh', ttlMs: 5 }]), 0);
    assert.equal(await store.claim([{ key: 'k3', ttlMs: 5 }]), -1);
  });
});
