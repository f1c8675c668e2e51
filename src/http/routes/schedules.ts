/**
 * @module http/routes/schedules
 * The schedules of a workflow (one per trigger_schedule node of its published version), with
 * their next and last runs. Read-only: schedules change by publishing or archiving.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { ScheduleService } from '../../services/schedules.ts';
import { workflowOf } from '../access.ts';
import {
  NullableTimestamp,
  nullable,
  PagedEnvelope,
  PageQuery,
  paged,
  Timestamp,
  Uuid,
  WorkflowParams,
} from '../envelope.ts';

export interface ScheduleRoutesOptions {
  readonly schedules: ScheduleService;
}

const ScheduleListQuery = Type.Object({ ...PageQuery });

export const ScheduleSchema = Type.Object(
  {
    schedule_id: Uuid,
    workflow_id: Uuid,
    node_id: Type.String(),
    cron: Type.String(),
    timezone: Type.String(),
    catch_up: Type.String(),
    max_executions: nullable(Type.Integer()),
    workflow_version: Type.Integer(),
    next_run_at: {
      ...NullableTimestamp,
      description: 'null once retired (max_executions reached, or the cron never fires again)',
    },
    last_run_at: NullableTimestamp,
    last_scheduled_for: NullableTimestamp,
    run_count: Type.Integer(),
    last_execution_id: nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { additionalProperties: false },
);
const ScheduleListAnswer = PagedEnvelope(ScheduleSchema, 'A page of schedules');

export const scheduleRoutes: FastifyPluginAsyncTypebox<ScheduleRoutesOptions> = async (app, { schedules }) => {
  app.get(
    '/api/v1/workflows/:workflow_id/schedules',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: {
        tags: ['schedules'],
        summary: 'List schedules',
        description:
          'One schedule per trigger_schedule node of the published version, with its next and last runs. Schedules change by publishing or archiving.',
        params: WorkflowParams,
        querystring: ScheduleListQuery,
        response: { 200: ScheduleListAnswer },
      },
    },
    async (request) => {
      const { rows, pagination } = await schedules.list(workflowOf(request), request.query);
      return paged(rows, pagination);
    },
  );
};
