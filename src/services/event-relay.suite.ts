/**
 * @module services/event-relay.suite
 * The one behaviour suite every EventRelay implementation must pass (run from
 * execution-events.test.ts for the single process, and queue/redis-event-relay.test.ts for
 * Redis). A harness gives the relay of the process that runs executions and the relay of the
 * process whose watchers listen; in one process they are the same relay.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EventRelay } from './event-relay.ts';
import type { ExecutionEvent } from './execution-types.ts';

export interface EventRelayHarness {
  /** Where runs publish their events. */
  readonly worker: EventRelay;
  /** Where watchers subscribe (the same relay in a single process). */
  readonly watcher: EventRelay;
  /** Closes everything the harness opened. */
  dispose(): Promise<void>;
}

const node = (executionId: string, nodeId: string, status = 'completed'): ExecutionEvent => ({
  execution_id: executionId,
  node_id: nodeId,
  status,
  at: new Date().toISOString(),
  output: { node: nodeId },
  final: false,
});

const end = (executionId: string): ExecutionEvent => ({
  execution_id: executionId,
  node_id: null,
  status: 'completed',
  at: new Date().toISOString(),
  output: { done: true },
  final: true,
});

/** Events a listener heard, and a promise for the moment it heard a final one. */
function collector() {
  const heard: ExecutionEvent[] = [];
  let resolveFinal: () => void = () => {};
  const finalHeard = new Promise<void>((resolve) => {
    resolveFinal = resolve;
  });
  return {
    heard,
    finalHeard,
    listener: (event: ExecutionEvent) => {
      heard.push(event);
      if (event.final) resolveFinal();
    },
  };
}

const nodesOf = (events: readonly ExecutionEvent[]) => events.map((event) => event.node_id ?? 'end');

export function runEventRelaySuite(name: string, open: () => Promise<EventRelayHarness>): void {
  describe(`event relay contract (${name})`, () => {
    let relay: EventRelayHarness;
    before(async () => {
      relay = await open();
    });
    after(async () => {
      await relay.dispose();
    });

    it("tells a watcher its run's events in order, the final one last, and no other run's", async () => {
      const run = randomUUID();
      const other = randomUUID();
      const watch = collector();
      const stop = await relay.watcher.subscribe(run, watch.listener, false);
      relay.worker.track(run);
      relay.worker.track(other);
      relay.worker.publish(node(run, 'a'));
      relay.worker.publish(node(other, 'x'));
      relay.worker.publish(node(run, 'b'));
      relay.worker.publish(end(other));
      relay.worker.publish(end(run));
      await watch.finalHeard;
      stop();
      assert.deepEqual(nodesOf(watch.heard), ['a', 'b', 'end']);
      assert.deepEqual(watch.heard.at(-1)?.output, { done: true });
    });

    it('hands a late watcher asking for a replay the events so far, then the live ones, none twice', async () => {
      const run = randomUUID();
      relay.worker.track(run);
      relay.worker.publish(node(run, 'a'));
      relay.worker.publish(node(run, 'b'));
      const watch = collector();
      const stop = await relay.watcher.subscribe(run, watch.listener, true);
      // Told before subscribe resolved: the watcher reads the record next and must know them.
      assert.deepEqual(nodesOf(watch.heard), ['a', 'b']);
      relay.worker.publish(node(run, 'c'));
      // A run that ended keeps nothing to replay (its record has it all): end it once c is told.
      await waitFor(() => watch.heard.some((event) => event.node_id === 'c'));
      relay.worker.publish(end(run));
      await watch.finalHeard;
      stop();
      assert.deepEqual(nodesOf(watch.heard), ['a', 'b', 'c', 'end']);
    });

    it('tells every attempt of a node retried within one millisecond, replayed and live, each once', async () => {
      const run = randomUUID();
      const at = new Date().toISOString();
      const attempt = (n: number, status: string): ExecutionEvent => ({
        ...node(run, 'call', status),
        at,
        run: 1,
        attempt: n,
        lane: 0,
        ...(status === 'failed' && { retrying: true as const }),
      });
      relay.worker.track(run);
      relay.worker.publish(attempt(1, 'running'));
      relay.worker.publish(attempt(1, 'failed'));
      relay.worker.publish(attempt(2, 'running'));
      const watch = collector();
      const stop = await relay.watcher.subscribe(run, watch.listener, true);
      relay.worker.publish(attempt(2, 'failed'));
      relay.worker.publish(attempt(3, 'running'));
      await waitFor(() => watch.heard.length === 5);
      relay.worker.publish(end(run));
      await watch.finalHeard;
      stop();
      assert.deepEqual(
        watch.heard.map((event) => `${event.status} ${event.attempt ?? 'end'}`),
        ['running 1', 'failed 1', 'running 2', 'failed 2', 'running 3', 'completed end'],
      );
    });

    it('tells a watcher that unsubscribed nothing more', async () => {
      const run = randomUUID();
      relay.worker.track(run);
      const gone = collector();
      const stay = collector();
      const stopGone = await relay.watcher.subscribe(run, gone.listener, false);
      const stopStay = await relay.watcher.subscribe(run, stay.listener, false);
      relay.worker.publish(node(run, 'a'));
      await waitFor(() => gone.heard.length === 1 && stay.heard.length === 1);
      stopGone();
      relay.worker.publish(node(run, 'b'));
      relay.worker.publish(end(run));
      await stay.finalHeard;
      stopStay();
      assert.deepEqual(nodesOf(gone.heard), ['a']);
      assert.deepEqual(nodesOf(stay.heard), ['a', 'b', 'end']);
    });

    it('ends every watcher of the stopping process with a final `shutdown` event', async () => {
      const run = randomUUID();
      const watch = collector();
      await relay.watcher.subscribe(run, watch.listener, false);
      const at = new Date().toISOString();
      relay.watcher.shutdown(at);
      await watch.finalHeard;
      assert.deepEqual(watch.heard, [
        { execution_id: run, node_id: null, status: 'shutdown', at, output: {}, final: true },
      ]);
    });
  });
}

/** Until `done()` holds: events cross processes asynchronously. */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}
