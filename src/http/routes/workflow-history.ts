/**
 * @module http/routes/workflow-history
 * A workflow's past: its published versions and its audit trail, read-only and paged. Apart from
 * workflows.ts, which changes the working definition; registered by it with the same options.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WorkflowService } from '../../services/workflows.ts';
import { readableNodes, workflowOf } from '../access.ts';
import { ok, paged, WorkflowParams } from '../envelope.ts';
import { AuditListAnswer, VersionAnswer, VersionListAnswer } from './workflow-answers.ts';
import { PageOnlyQuery, VersionParams } from './workflow-schemas.ts';

export interface WorkflowHistoryOptions {
  readonly workflows: WorkflowService;
}

const tags = ['workflows'];

export const workflowHistoryRoutes: FastifyPluginAsyncTypebox<WorkflowHistoryOptions> = async (app, { workflows }) => {
  app.get(
    '/api/v1/workflows/:workflow_id/versions',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: {
        tags,
        summary: 'List published versions',
        params: WorkflowParams,
        querystring: PageOnlyQuery,
        response: { 200: VersionListAnswer },
      },
    },
    async (request) => {
      const { rows, pagination } = await workflows.versions(workflowOf(request), request.query);
      return paged(rows, pagination);
    },
  );

  app.get(
    '/api/v1/workflows/:workflow_id/versions/:version',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: {
        tags,
        summary: 'Get a published version',
        description: 'The definition as it was snapshotted by that publish.',
        params: VersionParams,
        response: { 200: VersionAnswer },
      },
    },
    async (request) => {
      const version = await workflows.version(workflowOf(request), request.params.version);
      return ok({
        ...version.snapshot,
        nodes: readableNodes(request, version.snapshot.nodes),
        workflow_id: version.workflow_id,
        version: version.version,
        published_by: version.published_by,
        published_at: version.published_at,
      });
    },
  );

  app.get(
    '/api/v1/workflows/:workflow_id/audit',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: {
        tags,
        summary: 'The audit trail',
        description: 'Who changed what and when (create, update, publish, archive, grants, webhooks), newest first.',
        params: WorkflowParams,
        querystring: PageOnlyQuery,
        response: { 200: AuditListAnswer },
      },
    },
    async (request) => {
      const { rows, pagination } = await workflows.audit(workflowOf(request), request.query);
      return paged(rows, pagination);
    },
  );
};
