/**
 * @module services/executions-feature
 * The executions feature for the composition root: its routes, and the workers (when this process
 * runs them) that start (after recovering unfinished runs) and stop with the app.
 */
import type { AppModuleFactory } from '../app-module.ts';
import { executionRoutes } from '../http/routes/executions.ts';
import { statsRoutes } from '../http/routes/stats.ts';
import { workflowStats } from './execution-stats.ts';
import type { ExecutionService } from './executions.ts';

export const executionsFeature: AppModuleFactory = (context) => {
  const executions = context.services.get('executions') as ExecutionService;
  return {
    name: 'executions',
    routes: [
      { plugin: executionRoutes as never, options: { executions } },
      {
        plugin: statsRoutes as never,
        options: { stats: (id: string, hours: number) => workflowStats(context.database.db, id, hours) },
      },
    ],
    async start() {
      if (context.workers) await executions.startWorkers();
    },
    async stop() {
      await executions.stopWorkers(context.config.shutdownGraceMs);
    },
  };
};
