/**
 * @module test/helpers/redis
 * The machine's Redis for tests, each under a key prefix of its own, removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createBullmqQueue } from '../../src/queue/bullmq-queue.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh QUEUE_PREFIX. */
export function queuePrefix(): string {
  return `wfct${randomBytes(5).toString('hex')}`;
}

/** Deletes the queue under `prefix` and every other key under it. */
export async function removeQueueKeys(prefix: string): Promise<void> {
  const queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix, concurrency: 1, onError: () => {} });
  await queue.obliterate().catch(() => {});
  await queue.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}
