/**
 * @module http/routes/stats
 * `GET /api/v1/workflows/:workflow_id/stats?hours=24`: runs per hour by status with p50/p95
 * duration (PRODUCT.md §5), read like any other workflow read (`can_view`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STATS_MAX_HOURS, type WorkflowStats } from '../../services/execution-stats.ts';
import { workflowOf } from '../access.ts';
import { ok, WorkflowParams } from '../envelope.ts';

const StatsQuery = Type.Object({
  hours: Type.Integer({ minimum: 1, maximum: STATS_MAX_HOURS, default: 24 }),
});

export const statsRoutes: FastifyPluginAsyncTypebox<{
  readonly stats: (workflowId: string, hours: number) => Promise<WorkflowStats>;
}> = async (app, { stats }) => {
  app.get(
    '/api/v1/workflows/:workflow_id/stats',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: {
        tags: ['executions'],
        summary: 'Runs per hour by status, with p50/p95 duration (test runs excluded)',
        params: WorkflowParams,
        querystring: StatsQuery,
      },
    },
    async (request) => ok(await stats(workflowOf(request).workflow_id, request.query.hours)),
  );
};
