/**
 * @module mode
 * Single process or shared Redis, decided once (REDIS_URL): the one shared Redis connection (rate
 * limits, cooldowns, /health), how run events reach watchers (event relay) and how a cancel
 * reaches the process running the execution (cancel bus). Runs and their watchers may be in
 * different processes exactly when the queue is shared.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { type CancelBus, createCancelBus } from './queue/cancel-bus.ts';
import { createLocalCancelBus } from './queue/local-cancel-bus.ts';
import { createRedisEventRelay } from './queue/redis-event-relay.ts';
import type { EventRelay } from './services/event-relay.ts';
import { createLocalEventRelay } from './services/execution-events.ts';

export interface Mode {
  readonly redis: Redis | undefined;
  readonly events: EventRelay;
  readonly cancels: CancelBus;
  /** In order: the Redis connection (quit, or dropped when `abort`), the cancel bus, the relay. */
  close(abort?: boolean): Promise<void>;
}

export function chooseMode(config: Config, logger: Logger): Mode {
  if (!config.redisUrl) {
    const events = createLocalEventRelay();
    const cancels = createLocalCancelBus();
    return { redis: undefined, events, cancels, close: closing(undefined, cancels, events) };
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  // A lost connection is reported by /health and by the calls that need it, not by a crash.
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const events = createRedisEventRelay({
    redisUrl: config.redisUrl,
    prefix: config.queuePrefix,
    onError: (error) => logger.warn({ err: error }, 'event relay (redis) error'),
  });
  const cancels = createCancelBus({
    redisUrl: config.redisUrl,
    channel: `${config.queuePrefix}:executions:cancel`,
    onError: (error) => logger.warn({ err: error }, 'cancel bus (redis) error'),
  });
  return { redis, events, cancels, close: closing(redis, cancels, events) };
}

function closing(redis: Redis | undefined, cancels: CancelBus, events: EventRelay) {
  return async (abort = false) => {
    if (abort) redis?.disconnect();
    else await redis?.quit().catch(() => redis.disconnect());
    await cancels.close();
    await events.close();
  };
}
