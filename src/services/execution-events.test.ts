/** @module services/execution-events.test The event relay contract suite against the single-process relay. */
import { runEventRelaySuite } from './event-relay.suite.ts';
import { createLocalEventRelay } from './execution-events.ts';

runEventRelaySuite('single process', async () => {
  const relay = createLocalEventRelay();
  return { worker: relay, watcher: relay, dispose: () => relay.close() };
});
