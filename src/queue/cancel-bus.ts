/**
 * @module queue/cancel-bus
 * Cancellation across processes (REDIS_URL set): a cancel published by any process reaches every
 * worker, and the one running the execution aborts it. Pub/sub is fire and forget, so it is not
 * the only guard: the row's `cancel_requested` stops a run at its claim or resume, which covers a
 * worker that was down or reconnecting when the message went out.
 */
import { Redis } from 'ioredis';

export interface CancelBusOptions {
  readonly redisUrl: string;
  readonly channel: string;
  readonly onError: (error: unknown) => void;
}

export interface CancelBus {
  /** Resolves once Redis took the message. */
  publish(executionId: string): Promise<void>;
  /** Subscribes this process; resolves once subscribed, so no later cancel is missed. */
  listen(onCancel: (executionId: string) => void): Promise<void>;
  close(): Promise<void>;
}

export function createCancelBus(options: CancelBusOptions): CancelBus {
  const { channel, onError } = options;
  // Both made on first use: a process that never publishes (or never listens) opens nothing.
  let publisher: Redis | undefined;
  let subscriber: Redis | undefined;

  function connect(): Redis {
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
    redis.on('error', onError);
    return redis;
  }

  async function quit(redis: Redis | undefined): Promise<void> {
    await redis?.quit().catch(() => redis.disconnect());
  }

  return {
    async publish(executionId) {
      publisher ??= connect();
      await publisher.publish(channel, executionId);
    },
    async listen(onCancel) {
      if (subscriber) return;
      subscriber = connect();
      subscriber.on('message', (from: string, executionId: string) => {
        if (from === channel) onCancel(executionId);
      });
      // ioredis subscribes again by itself after a reconnect.
      await subscriber.subscribe(channel);
    },
    async close() {
      await Promise.all([quit(publisher), quit(subscriber)]);
      publisher = undefined;
      subscriber = undefined;
    },
  };
}
