/**
 * @module http/routes/schedules
 * The schedules of a workflow (one per trigger_schedule node of its published version), with
 * their next and last runs. Read-only: schedules change by publishing or archiving.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ScheduleService } from '../../services/schedules.ts';
import { workflowOf } from '../access.ts';
import { PageQuery, paged, WorkflowParams } from '../envelope.ts';

export interface ScheduleRoutesOptions {
  readonly schedules: ScheduleService;
}

const ScheduleListQuery = Type.Object({ ...PageQuery });

export const scheduleRoutes: FastifyPluginAsyncTypebox<ScheduleRoutesOptions> = async (app, { schedules }) => {
  app.get(
    '/api/v1/workflows/:workflow_id/schedules',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: { tags: ['schedules'], params: WorkflowParams, querystring: ScheduleListQuery },
    },
    async (request) => {
      const { rows, pagination } = await schedules.list(workflowOf(request), request.query);
      return paged(rows, pagination);
    },
  );
};
