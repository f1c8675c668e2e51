/**
 * @module http/routes/workflows
 * Workflow management: create, list, get, update, archive, validate, publish, versions, audit.
 * Each route declares its access rule; the handler only speaks to the workflow service.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { WorkflowService } from '../../services/workflows.ts';
import { principalOf, workflowOf } from '../access.ts';
import { ok, paged, WorkflowParams } from '../envelope.ts';
import {
  CommunityBody,
  CommunityQuery,
  CreateWorkflowBody,
  ListWorkflowsQuery,
  PageOnlyQuery,
  UpdateWorkflowBody,
  VersionParams,
  workflowSummary,
  workflowView,
} from './workflow-schemas.ts';

export interface WorkflowRoutesOptions {
  readonly workflows: WorkflowService;
}

const tags = ['workflows'];

export const workflowRoutes: FastifyPluginAsyncTypebox<WorkflowRoutesOptions> = async (app, { workflows }) => {
  const actorOf = (request: Parameters<typeof principalOf>[0]) => ({
    principal: principalOf(request),
    clientIp: request.ip ?? null,
  });

  app.post(
    '/api/v1/workflows',
    { config: { access: { kind: 'authenticated' } }, schema: { tags, body: CreateWorkflowBody } },
    async (request, reply) => {
      const workflow = await workflows.create(actorOf(request), request.body);
      reply.status(201);
      return ok(
        {
          workflow_id: workflow.workflow_id,
          name: workflow.name,
          status: workflow.status,
          entity_id: workflow.entity_id,
          community_id: workflow.community_id,
          created_at: workflow.created_at,
        },
        'Workflow created successfully',
      );
    },
  );

  app.get(
    '/api/v1/workflows',
    { config: { access: { kind: 'authenticated' } }, schema: { tags, querystring: ListWorkflowsQuery } },
    async (request) => {
      const { entity_id, status, search, page, per_page } = request.query;
      const { rows, pagination } = await workflows.list(
        actorOf(request),
        { entity_id, status, search },
        { page, per_page },
      );
      return paged(rows.map(workflowSummary), pagination);
    },
  );

  app.get(
    '/api/v1/workflows/:workflow_id',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: { tags, params: WorkflowParams, querystring: CommunityQuery },
    },
    async (request) => ok(workflowView(workflowOf(request))),
  );

  app.put(
    '/api/v1/workflows/:workflow_id',
    {
      config: { access: { kind: 'workflow', permission: 'can_edit' } },
      schema: { tags, params: WorkflowParams, body: UpdateWorkflowBody },
    },
    async (request) => {
      const updated = await workflows.update(actorOf(request), workflowOf(request), request.body);
      return ok(
        {
          workflow_id: updated.workflow_id,
          version: updated.version,
          has_unpublished_changes: updated.has_unpublished_changes,
          updated_at: updated.updated_at,
        },
        'Workflow updated successfully',
      );
    },
  );

  app.delete(
    '/api/v1/workflows/:workflow_id',
    { config: { access: { kind: 'workflow', permission: 'can_delete' } }, schema: { tags, params: WorkflowParams } },
    async (request) => {
      const archived = await workflows.archive(actorOf(request), workflowOf(request));
      return ok(
        { workflow_id: archived.workflow_id, status: archived.status, archived_at: archived.archived_at },
        'Workflow archived successfully',
      );
    },
  );

  app.post(
    '/api/v1/workflows/:workflow_id/validate',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: { tags, params: WorkflowParams, body: CommunityBody },
    },
    async (request) => ok(await workflows.validate(workflowOf(request)), 'Validation completed'),
  );

  app.post(
    '/api/v1/workflows/:workflow_id/publish',
    {
      config: { access: { kind: 'workflow', permission: 'can_edit' } },
      schema: { tags, params: WorkflowParams, body: CommunityBody },
    },
    async (request) => {
      const published = await workflows.publish(
        actorOf(request),
        workflowOf(request),
        request.body.community_id ?? undefined,
      );
      return ok(
        {
          workflow_id: published.workflow_id,
          status: published.status,
          version: published.published_version,
          published_at: published.published_at,
        },
        'Workflow published successfully',
      );
    },
  );

  app.get(
    '/api/v1/workflows/:workflow_id/versions',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: { tags, params: WorkflowParams, querystring: PageOnlyQuery },
    },
    async (request) => {
      const { rows, pagination } = await workflows.versions(workflowOf(request), request.query);
      return paged(rows, pagination);
    },
  );

  app.get(
    '/api/v1/workflows/:workflow_id/versions/:version',
    { config: { access: { kind: 'workflow', permission: 'can_view' } }, schema: { tags, params: VersionParams } },
    async (request) => {
      const version = await workflows.version(workflowOf(request), request.params.version);
      return ok({
        ...version.snapshot,
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
      schema: { tags, params: WorkflowParams, querystring: PageOnlyQuery },
    },
    async (request) => {
      const { rows, pagination } = await workflows.audit(workflowOf(request), request.query);
      return paged(rows, pagination);
    },
  );
};
