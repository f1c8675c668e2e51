/**
 * @module queue/bullmq-queue.test
 * The execution queue contract suite against BullMQ on a real Redis, each case under a queue
 * prefix of its own, removed afterwards.
 */
import { queuePrefix, REDIS_URL, removeQueueKeys } from '../../test/helpers/redis.ts';
import { createBullmqQueue } from './bullmq-queue.ts';
import { runQueueSuite } from './queue.suite.ts';

runQueueSuite('bullmq', async (concurrency) => {
  const prefix = queuePrefix();
  const queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix, concurrency, onError: () => {} });
  return {
    queue,
    async dispose() {
      await queue.stop(5000);
      await queue.close();
      await removeQueueKeys(prefix);
    },
  };
});
