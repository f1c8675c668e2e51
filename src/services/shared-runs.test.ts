/**
 * @module services/shared-runs.test
 * The run distribution contract suite against BullMQ on a real Redis, each case under a queue
 * prefix of its own, removed afterwards.
 */
import { queuePrefix, REDIS_URL, removeQueueKeys } from '../../test/helpers/redis.ts';
import { runRunDistributionSuite } from './run-distribution.suite.ts';
import { createSharedRuns } from './shared-runs.ts';

runRunDistributionSuite('shared redis', async (deps) => {
  const prefix = queuePrefix();
  const runs = createSharedRuns(REDIS_URL, { ...deps, config: { ...deps.config, queuePrefix: prefix } });
  return {
    runs,
    async dispose() {
      await runs.stop(5000);
      await runs.close();
      await removeQueueKeys(prefix);
    },
  };
});
