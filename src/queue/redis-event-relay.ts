/**
 * @module queue/redis-event-relay
 * Node events across processes (REDIS_URL set): the worker running a run publishes its events on
 * the run's own pub/sub channel, `<prefix>:events:<execution id>`, batched per run and turn of the
 * event loop, in order on one connection; an API process subscribes to a run's channel while it
 * has watchers of that run, and not otherwise, so a run nobody watches costs one PUBLISH per
 * batch that no one receives. A watcher arriving late asks on `<prefix>:events:replay`; the
 * worker holding the run answers on the run's channel with the events it kept (the stored record
 * covers whatever came before that worker); until that answer comes (or briefly, when no worker
 * holds the run) the watcher's live events wait, so history and live events arrive in order, and
 * subscribe resolves only then: a watcher subscribing with a replay waits one round trip to the
 * worker, or HISTORY_WAIT_MS when a process answers replays but none holds the run.
 * Pub/sub loses what is sent while a subscriber is
 * reconnecting; waits then end by their own timeout, and a watcher reconnecting reads the record.
 */
import { Redis } from 'ioredis';
import type { EventRelay } from '../services/event-relay.ts';
import { createExecutionEvents } from '../services/execution-events.ts';
import { type ExecutionEvent, eventKey } from '../services/execution-types.ts';

/** How long a watcher's live events wait for the kept events of a worker that may not hold the run. */
const HISTORY_WAIT_MS = 300;

export interface RedisEventRelayOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly onError: (error: unknown) => void;
}

export function createRedisEventRelay(options: RedisEventRelayOptions): EventRelay {
  const { prefix, onError } = options;
  const channelPrefix = `${prefix}:events:`;
  const replayChannel = `${prefix}:events-replay`;
  /** Runs of this process: their events, kept for replay requests. */
  const kept = createExecutionEvents();
  /** Watchers in this process, fed from Redis. */
  const watchers = createExecutionEvents();
  /** Channels subscribed to, by run: how many watchers need each, and when it became live. */
  const channels = new Map<string, { count: number; ready: Promise<unknown> }>();
  let outgoing = new Map<string, ExecutionEvent[]>();
  let scheduled = false;
  let publisher: Redis | undefined;
  let subscriber: Redis | undefined;
  let answeringReplays = false;
  /** Watchers here waiting for a run's kept events, by run. */
  const historyWaiters = new Map<string, Set<(history: readonly ExecutionEvent[]) => void>>();

  function connect(): Redis {
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
    redis.on('error', onError);
    return redis;
  }

  /** `history`: the events a worker kept, answering a replay request (not live ones). */
  function send(executionId: string, events: readonly ExecutionEvent[], history = false): void {
    publisher ??= connect();
    const message = history ? { history: events } : { events };
    publisher.publish(channelPrefix + executionId, JSON.stringify(message)).catch(onError);
  }

  function flush(): void {
    scheduled = false;
    const batch = outgoing;
    outgoing = new Map();
    for (const [executionId, events] of batch) send(executionId, events);
  }

  function heard(channel: string, text: string): void {
    if (channel === replayChannel) {
      const history = kept.history(text);
      if (!history) return;
      // What is still batched goes first, so the run's channel stays in order.
      const pending = outgoing.get(text);
      outgoing.delete(text);
      if (pending) send(text, pending);
      send(text, history, true);
      return;
    }
    if (!channel.startsWith(channelPrefix)) return;
    let message: { events?: ExecutionEvent[]; history?: ExecutionEvent[] };
    try {
      message = JSON.parse(text) as typeof message;
    } catch (error) {
      onError(error);
      return;
    }
    if (message.history) {
      const executionId = channel.slice(channelPrefix.length);
      for (const waiter of [...(historyWaiters.get(executionId) ?? [])]) waiter(message.history);
    }
    for (const event of message.events ?? []) watchers.publish(event);
  }

  function listener(): Redis {
    if (subscriber) return subscriber;
    subscriber = connect();
    subscriber.on('message', heard);
    return subscriber;
  }

  function open(executionId: string): Promise<unknown> {
    const existing = channels.get(executionId);
    if (existing) {
      existing.count++;
      return existing.ready;
    }
    const ready = listener().subscribe(channelPrefix + executionId);
    channels.set(executionId, { count: 1, ready });
    return ready;
  }

  function releaseChannel(executionId: string): void {
    const entry = channels.get(executionId);
    if (!entry || --entry.count > 0) return;
    channels.delete(executionId);
    subscriber?.unsubscribe(channelPrefix + executionId).catch(onError);
  }

  return {
    publish(event) {
      kept.publish(event);
      const batch = outgoing.get(event.execution_id);
      if (batch) batch.push(event);
      else outgoing.set(event.execution_id, [event]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    track(executionId) {
      kept.track(executionId);
      // A process that runs executions answers replay requests (subscribed once, on its first run).
      if (answeringReplays) return;
      answeringReplays = true;
      listener()
        .subscribe(replayChannel)
        .catch((error: unknown) => {
          answeringReplays = false;
          onError(error);
        });
    },
    async subscribe(executionId, onEvent, replay) {
      // With a replay, live events wait until the kept ones came (or nobody answered in time).
      let held: ExecutionEvent[] | undefined = replay ? [] : undefined;
      let timer: NodeJS.Timeout | undefined;
      let historyDone: () => void = () => {};
      const historyCame = new Promise<void>((resolve) => {
        historyDone = resolve;
      });
      const waiters = historyWaiters.get(executionId) ?? new Set();
      const release = (history: readonly ExecutionEvent[]) => {
        historyDone();
        if (!held) return;
        const buffered = held;
        held = undefined;
        clearTimeout(timer);
        waiters.delete(release);
        if (waiters.size === 0 && historyWaiters.get(executionId) === waiters) historyWaiters.delete(executionId);
        const kept = new Set(history.map(eventKey));
        for (const event of history) onEvent(event);
        for (const event of buffered) if (!kept.has(eventKey(event))) onEvent(event);
      };
      const unsubscribe = watchers.subscribe(executionId, (event) => {
        if (held) held.push(event);
        else onEvent(event);
      });
      try {
        await open(executionId);
        if (replay) {
          waiters.add(release);
          historyWaiters.set(executionId, waiters);
          publisher ??= connect();
          const answering = await publisher.publish(replayChannel, executionId);
          // No process answers replays (none runs anything yet): no history will come.
          if (answering === 0) release([]);
          else if (held) timer = setTimeout(() => release([]), HISTORY_WAIT_MS);
          // The contract: the history is told before subscribe resolves (the watcher reads the
          // record next and needs to know what the relay told). Bounded by HISTORY_WAIT_MS.
          await historyCame;
        }
      } catch (error) {
        unsubscribe();
        release([]);
        releaseChannel(executionId);
        throw error;
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        held = undefined;
        clearTimeout(timer);
        waiters.delete(release);
        unsubscribe();
        releaseChannel(executionId);
      };
    },
    shutdown: watchers.shutdown,
    async close() {
      flush();
      await Promise.all([publisher, subscriber].map((redis) => redis?.quit().catch(() => redis.disconnect())));
      publisher = undefined;
      subscriber = undefined;
    },
  };
}
