/**
 * @module services/retention-feature
 * The retention job for the composition root: in processes that run background work, a pass
 * shortly after start and then every EXECUTION_RETENTION_INTERVAL_SECONDS. Shared as
 * `services.get('retention')`.
 */
import type { AppContext, AppModule } from '../app-module.ts';
import { createRetention, RETENTION_SERVICE } from './retention.ts';

const FIRST_PASS_MS = 30_000;

export function retentionFeature(context: AppContext): AppModule {
  const { config, database, logger } = context;
  const retention = createRetention(
    database.db,
    {
      days: config.executionRetentionDays,
      perWorkflow: config.executionRetentionPerWorkflow,
      batchSize: config.retentionBatchSize,
    },
    logger,
  );
  context.services.set(RETENTION_SERVICE, retention);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const pass = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      retention
        .prune()
        .catch((error: unknown) => logger.warn({ err: error }, 'pruning execution history failed'))
        .finally(() => pass(config.retentionIntervalMs));
    }, delayMs);
    timer.unref();
  };
  return {
    name: 'retention',
    async start() {
      if (context.background) pass(Math.min(FIRST_PASS_MS, config.retentionIntervalMs));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await retention.stop();
    },
  };
}
