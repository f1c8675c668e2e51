/**
 * @module queue/redis-event-relay.test
 * The event relay contract suite across two relays on a real Redis (127.0.0.1:6379, or
 * REDIS_URL), as a worker process and an API process, under a prefix unique to this run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { runEventRelaySuite } from '../services/event-relay.suite.ts';
import type { EventRelay } from '../services/event-relay.ts';
import { createRedisEventRelay } from './redis-event-relay.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A worker answers replay requests once its subscription to them is live, which its first
 * track() starts without waiting: ask until an answer (a `history` message on the run's channel)
 * is seen, so the suite's replay case does not race that subscription.
 */
async function untilAnsweringReplays(worker: EventRelay, watcher: EventRelay, prefix: string): Promise<void> {
  const run = randomUUID();
  const spy = new Redis(REDIS_URL);
  let answered = false;
  spy.on('message', (_channel, text: string) => {
    if (text.startsWith('{"history"')) answered = true;
  });
  await spy.subscribe(`${prefix}:events:${run}`);
  worker.track(run);
  worker.publish({ execution_id: run, node_id: 'warm', status: 'completed', at: '', output: {}, final: false });
  while (!answered) {
    const stop = await watcher.subscribe(run, () => {}, true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop();
  }
  worker.publish({ execution_id: run, node_id: null, status: 'completed', at: '', output: {}, final: true });
  await spy.quit();
}

runEventRelaySuite('redis, two processes', async () => {
  const prefix = `wfc-test:relay:${process.pid}-${randomBytes(4).toString('hex')}`;
  const open = () => createRedisEventRelay({ redisUrl: REDIS_URL, prefix, onError: () => {} });
  const worker = open();
  const watcher = open();
  await untilAnsweringReplays(worker, watcher, prefix);
  return {
    worker,
    watcher,
    async dispose() {
      await Promise.all([worker.close(), watcher.close()]);
    },
  };
});
