/**
 * The shared queue (BullMQ on the machine's Redis) when a worker's event loop stalls past its
 * lock: the stalled-job check hands the job back, and it may come to the same process while the
 * run is still going there. The run is not started twice, and its job stays until the run ends:
 * a job done at the second delivery would leave a run in progress with no job, which nothing
 * would take over if this process then died.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createBullmqQueue, EXECUTION_QUEUE_NAME } from '../src/queue/bullmq-queue.ts';
import { until } from './helpers/polling.ts';
import { queuePrefix, REDIS_URL, removeQueueKeys } from './helpers/redis.ts';

describe('a job handed back to the process that still runs it', () => {
  const prefix = queuePrefix();
  let finish: () => void = () => {};
  const queue = createBullmqQueue({
    redisUrl: REDIS_URL,
    prefix,
    concurrency: 4,
    lockDurationMs: 1000,
    stalledIntervalMs: 300,
    onError: () => {},
  });
  after(async () => {
    finish();
    await queue.stop(1000);
    await queue.close();
    await removeQueueKeys(prefix);
  });

  it('runs it once, and keeps its job until the run ends', async () => {
    const starts: string[] = [];
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    queue.start(async (executionId) => {
      starts.push(executionId);
      // A busy stretch longer than the lock: no lock renewal runs meanwhile.
      const until = Date.now() + 2500;
      while (Date.now() < until) {}
      await finished;
    });
    queue.enqueue('run-1');
    await until('the run to start', () => (starts.length > 0 ? true : undefined), { intervalMs: 20, attempts: 500 });
    // Long enough for the stalled-job check to hand the job back and for it to come here again.
    await sleep(2000);
    assert.deepEqual(starts, ['run-1'], 'started once');
    assert.equal(queue.active(), 1, 'still running here');
    const connection = new Redis(REDIS_URL);
    const jobs = new Queue(EXECUTION_QUEUE_NAME, { connection, prefix });
    try {
      assert.ok(await jobs.getJob('run-1'), 'the run still has its job');
      finish();
      await until('the job done with the run', async () => ((await jobs.getJob('run-1')) ? undefined : true), {
        intervalMs: 50,
        attempts: 200,
      });
      assert.deepEqual(starts, ['run-1']);
    } finally {
      await jobs.close();
      connection.disconnect();
    }
  });
});
