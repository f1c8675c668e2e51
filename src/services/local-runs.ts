/**
 * @module services/local-runs
 * A single process (no REDIS_URL): runs wait in the in-process queue (queue/local-queue.ts) and
 * this process runs every one of them, so a run not running here runs nowhere. The counterpart
 * of services/shared-runs.ts behind services/run-distribution.ts.
 */
import { failUnfinishedTestRuns } from '../store/waiting-runs-repository.ts';
import type { RunDistribution, RunDistributionDeps } from './run-distribution.ts';
import { ABANDONED_TEST_MESSAGE } from './run-ends.ts';

export function createLocalRuns(deps: RunDistributionDeps): RunDistribution {
  const { db, logger, metrics, local } = deps;
  return {
    enqueue: (executionId, keys) => local.enqueue(executionId, keys),
    async start(unfinished) {
      // One process runs everything here, so a test run left unfinished was this process's.
      const abandoned = await failUnfinishedTestRuns(db, new Date().toISOString(), ABANDONED_TEST_MESSAGE);
      if (abandoned) metrics.executions.inc({ status: 'failed' }, abandoned);
      for (const row of unfinished) local.enqueue(row.execution_id, await deps.keysOf(row));
      if (unfinished.length) logger.info({ count: unfinished.length }, 'queued unfinished executions again');
      local.start(async (executionId) => {
        await deps.run(executionId);
      });
    },
    // The in-process queue holds an id once while it waits or runs: it never delivers one twice.
    repeats: () => false,
    // The next start of this process resumes it; nothing to hand back.
    interrupted: () => undefined,
    // Queued, or left `running` by a crash of this (the only) process: ended here.
    async cancelNotHere(executionId, at) {
      await deps.endUnstarted(executionId, at);
    },
    depth: () => local.depth(),
    status: () => local.status(),
    stop: (graceMs) => local.stop(graceMs),
    close: async () => undefined,
  };
}
