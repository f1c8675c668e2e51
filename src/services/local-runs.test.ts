/**
 * @module services/local-runs.test
 * The run distribution contract suite against the single process's in-process queue.
 */
import { createLocalRuns } from './local-runs.ts';
import { runRunDistributionSuite } from './run-distribution.suite.ts';

runRunDistributionSuite('single process', async (deps) => {
  const runs = createLocalRuns(deps);
  return {
    runs,
    async dispose() {
      await runs.stop(5000);
      await runs.close();
    },
  };
});
