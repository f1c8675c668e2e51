/** @module queue/local-cancel-bus.test The cancel bus contract suite against the single-process bus. */
import { runCancelBusSuite } from './cancel-bus.suite.ts';
import { createLocalCancelBus } from './local-cancel-bus.ts';

runCancelBusSuite('single process', async () => {
  const bus = createLocalCancelBus();
  return { canceller: bus, worker: bus, dispose: () => bus.close() };
});
