/**
 * @module mode
 * Single process or shared Redis, decided once (REDIS_URL): the one shared Redis connection (rate
 * limits, cooldowns, /health), how runs reach a process that runs them (run distribution: the
 * in-process queue, or BullMQ for any worker), how run events reach watchers (event relay) and how
 * a cancel reaches the process running the execution (cancel bus). Runs and their watchers may be
 * in different processes exactly when the queue is shared.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { type CancelBus, createCancelBus } from './queue/cancel-bus.ts';
import { createLocalCancelBus } from './queue/local-cancel-bus.ts';
import { createRedisEventRelay } from './queue/redis-event-relay.ts';
import type { EventRelay } from './services/event-relay.ts';
import { createLocalEventRelay } from './services/execution-events.ts';
import { createLocalRuns } from './services/local-runs.ts';
import type { RunDistributionFactory } from './services/run-distribution.ts';
import { createSharedRuns } from './services/shared-runs.ts';

export interface Mode {
  readonly redis: Redis | undefined;
  readonly events: EventRelay;
  readonly cancels: CancelBus;
  /** Built by the runner over its own parts (queue caps, run, ends). */
  readonly runs: RunDistributionFactory;
  /** In order: the Redis connection (quit, or dropped when `abort`), the cancel bus, the relay. */
  close(abort?: boolean): Promise<void>;
}

export function chooseMode(config: Config, logger: Logger): Mode {
  if (!config.redisUrl) {
    const events = createLocalEventRelay();
    const cancels = createLocalCancelBus();
    return { redis: undefined, events, cancels, runs: createLocalRuns, close: closing(undefined, cancels, events) };
  }
  const { redisUrl } = config;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  // A lost connection is reported by /health and by the calls that need it, not by a crash.
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const events = createRedisEventRelay({
    redisUrl,
    prefix: config.queuePrefix,
    onError: (error) => logger.warn({ err: error }, 'event relay (redis) error'),
  });
  const cancels = createCancelBus({
    redisUrl,
    channel: `${config.queuePrefix}:executions:cancel`,
    onError: (error) => logger.warn({ err: error }, 'cancel bus (redis) error'),
  });
  const runs: RunDistributionFactory = (deps) => createSharedRuns(redisUrl, deps);
  return { redis, events, cancels, runs, close: closing(redis, cancels, events) };
}

function closing(redis: Redis | undefined, cancels: CancelBus, events: EventRelay) {
  return async (abort = false) => {
    if (abort) redis?.disconnect();
    else await redis?.quit().catch(() => redis.disconnect());
    await cancels.close();
    await events.close();
  };
}
