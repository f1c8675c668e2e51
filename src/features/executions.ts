/**
 * @module features/executions
 * The executions feature for the composition root: its routes (the live event stream among them),
 * and the workers (when this process
 * runs them) that start (after recovering unfinished runs) and stop with the app.
 */
import type { AppContext, AppModule } from '../app-module.ts';
import { route } from '../http/route.ts';
import { executionRoutes } from '../http/routes/executions.ts';
import { statsRoutes } from '../http/routes/stats.ts';
import { watchWorkers } from '../queue/worker-watch.ts';
import { workflowStats } from '../services/execution-stats.ts';
import type { ExecutionService } from '../services/executions.ts';

export function executionsFeature(context: AppContext, executions: ExecutionService): AppModule {
  let watch: { stop(): void } | undefined;
  return {
    name: 'executions',
    routes: [
      route(executionRoutes, { executions, lagLimitBytes: context.config.streamLagLimitBytes }),
      route(statsRoutes, { stats: (id: string, hours: number) => workflowStats(context.database.db, id, hours) }),
    ],
    async start() {
      if (context.workers) await executions.startWorkers();
      // Only queues here: runs sit `queued` until a worker process takes them, so say when none does.
      else if (context.config.redisUrl && context.background) {
        watch = watchWorkers({
          status: () => executions.queueStatus(),
          warn: (fields, message) => context.logger.warn(fields, message),
          silenceMs: context.config.workerAbsentWarnSeconds * 1000,
        });
      }
    },
    async stop() {
      watch?.stop();
      await executions.stopWorkers(context.config.shutdownGraceMs);
    },
  };
}
