/**
 * @module http/routes/stats
 * `GET /api/v1/workflows/:workflow_id/stats?hours=24`: runs per hour by status with p50/p95
 * duration (PRODUCT.md §5), read like any other workflow read (`can_view`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STATS_MAX_HOURS, type WorkflowStats } from '../../services/execution-stats.ts';
import { workflowOf } from '../access.ts';
import { Envelope, nullable, ok, Timestamp, Uuid, WorkflowParams } from '../envelope.ts';

const StatsQuery = Type.Object({
  hours: Type.Integer({ minimum: 1, maximum: STATS_MAX_HOURS, default: 24 }),
});

const Count = Type.Integer({ minimum: 0 });
export const StatsSchema = Type.Object(
  {
    workflow_id: Uuid,
    hours: Type.Integer(),
    from: Timestamp,
    to: Timestamp,
    buckets: Type.Array(
      Type.Object(
        {
          hour: Type.String({ description: 'start of the UTC hour' }),
          counts: Type.Object(
            { queued: Count, running: Count, completed: Count, failed: Count, cancelled: Count },
            { additionalProperties: true },
          ),
          total: Count,
          p50_seconds: nullable(Type.Number()),
          p95_seconds: nullable(Type.Number()),
        },
        { additionalProperties: true },
      ),
      { description: 'one per hour, oldest first' },
    ),
  },
  { additionalProperties: true },
);
const StatsAnswer = Envelope(StatsSchema, 'Runs per hour');

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
        response: { 200: StatsAnswer },
      },
    },
    async (request) => ok(await stats(workflowOf(request).workflow_id, request.query.hours)),
  );
};
