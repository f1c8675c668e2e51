/**
 * @module features/retention
 * The retention job for the composition root: in processes that run background work, a pass
 * shortly after start and then every EXECUTION_RETENTION_INTERVAL_SECONDS. Exports the job, so a
 * pass can also be run on demand. On a SQLite file the job's statements run on a worker thread
 * with its own connection (a SQLite delete would block the event loop while it runs).
 */
import type { AppContext, AppModule } from '../app-module.ts';
import { createRetention, type Retention } from '../services/retention.ts';
import { connectionRetentionStore, threadRetentionStore } from '../store/retention-repository.ts';
import { sqliteFileOf } from '../store/sqlite-pragmas.ts';
import { createSqliteThread } from '../store/sqlite-thread.ts';

const FIRST_PASS_MS = 30_000;

export interface RetentionFeature extends AppModule {
  readonly retention: Retention;
}

export function retentionFeature(context: AppContext): RetentionFeature {
  const { config, database, logger } = context;
  const file = database.dialect === 'sqlite' ? sqliteFileOf(config.databaseUrl) : undefined;
  const store = file
    ? threadRetentionStore(database.db, createSqliteThread(file))
    : connectionRetentionStore(database.db);
  const retention = createRetention(
    store,
    {
      days: config.executionRetentionDays,
      perWorkflow: config.executionRetentionPerWorkflow,
      batchSize: config.retentionBatchSize,
    },
    logger,
  );
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
    retention,
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
