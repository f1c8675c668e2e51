/**
 * @module queue/cancel-bus.test
 * The cancel bus contract suite across two buses on a real Redis (127.0.0.1:6379, or REDIS_URL),
 * as an API process and a worker, on a channel unique to this run.
 */
import { randomBytes } from 'node:crypto';
import { runCancelBusSuite } from './cancel-bus.suite.ts';
import { createCancelBus } from './cancel-bus.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

runCancelBusSuite('redis, two processes', async () => {
  const channel = `wfc-test:cancel:${process.pid}-${randomBytes(4).toString('hex')}`;
  const open = () => createCancelBus({ redisUrl: REDIS_URL, channel, onError: () => {} });
  const canceller = open();
  const worker = open();
  return {
    canceller,
    worker,
    async dispose() {
      await Promise.all([canceller.close(), worker.close()]);
    },
  };
});
