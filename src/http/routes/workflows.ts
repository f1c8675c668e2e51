/**
 * @module http/routes/workflows
 * Workflow management: create, list, get, update, archive, validate, publish (the published
 * versions and the audit trail are in workflow-history.ts).
 * Each route declares its access rule; the handler only speaks to the workflow service.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { workflowSummary, workflowView } from '../../services/workflow-view.ts';
import type { WorkflowService } from '../../services/workflows.ts';
import { actorOf, readableNodes, workflowOf } from '../access.ts';
import { errors, ok, paged, WorkflowParams } from '../envelope.ts';
import {
  ArchivedAnswer,
  CreatedAnswer,
  PublishedAnswer,
  UpdatedAnswer,
  ValidationAnswer,
  WorkflowAnswer,
  WorkflowListAnswer,
} from './workflow-answers.ts';
import { workflowHistoryRoutes } from './workflow-history.ts';
import {
  CommunityBody,
  CommunityQuery,
  CreateWorkflowBody,
  ListWorkflowsQuery,
  UpdateWorkflowBody,
} from './workflow-schemas.ts';

export interface WorkflowRoutesOptions {
  readonly workflows: WorkflowService;
}

const tags = ['workflows'];

export const workflowRoutes: FastifyPluginAsyncTypebox<WorkflowRoutesOptions> = async (app, { workflows }) => {
  app.post(
    '/api/v1/workflows',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags,
        summary: 'Create a workflow',
        description:
          'Stores a draft for `entity_id` (the caller becomes its owner). Nodes and connections may be incomplete: validation runs on publish, or on demand with /validate. In release mode a valid `license_key` is required (402 otherwise).',
        body: CreateWorkflowBody,
        response: { 201: CreatedAnswer, ...errors(402, 403) },
      },
    },
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
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags,
        summary: 'List workflows',
        description:
          'The workflows of one entity that the caller may view (owned, or granted to the user, a role or the entity), newest first; `search` matches name and description.',
        querystring: ListWorkflowsQuery,
        response: { 200: WorkflowListAnswer },
      },
    },
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
      schema: {
        tags,
        summary: 'Get a workflow',
        description: 'The working definition (what /test runs and the next publish snapshots) and its state.',
        params: WorkflowParams,
        querystring: CommunityQuery,
        response: { 200: WorkflowAnswer },
      },
    },
    async (request) => {
      const workflow = workflowOf(request);
      return ok(workflowView({ ...workflow, nodes: readableNodes(request, workflow.nodes) }));
    },
  );

  app.put(
    '/api/v1/workflows/:workflow_id',
    {
      config: { access: { kind: 'workflow', permission: 'can_edit' } },
      schema: {
        tags,
        summary: 'Update a workflow',
        description:
          'Changes the working definition; fields left out stay as they are. The published version keeps running until the next publish. Archived workflows cannot change (409).',
        params: WorkflowParams,
        body: UpdateWorkflowBody,
        response: { 200: UpdatedAnswer, ...errors(409) },
      },
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
    {
      config: { access: { kind: 'workflow', permission: 'can_delete' } },
      schema: {
        tags,
        summary: 'Archive a workflow',
        description:
          'A soft delete: triggers, schedules and webhooks stop; executions, versions and the audit trail stay readable.',
        params: WorkflowParams,
        response: { 200: ArchivedAnswer, ...errors(409) },
      },
    },
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
      schema: {
        tags,
        summary: 'Validate a workflow',
        description:
          'Checks the working definition as publish would: every error and warning, each naming the node, field or connection. Answers 200 whether or not it is valid.',
        params: WorkflowParams,
        body: CommunityBody,
        response: { 200: ValidationAnswer },
      },
    },
    async (request) => ok(await workflows.validate(workflowOf(request)), 'Validation completed'),
  );

  app.post(
    '/api/v1/workflows/:workflow_id/publish',
    {
      config: { access: { kind: 'workflow', permission: 'can_edit' } },
      schema: {
        tags,
        summary: 'Publish a workflow',
        description:
          'Validates the working definition and, when valid, snapshots it as a new version (an unchanged definition is not snapshotted again); triggers, schedules and webhooks then run that version. Invalid: 400 VALIDATION_FAILED with the validation result in `details`. A `community_id` in the body is stored as an edit would store it (a new version); deliveries carry the stored value.',
        params: WorkflowParams,
        body: CommunityBody,
        response: { 200: PublishedAnswer, ...errors(409) },
      },
    },
    async (request) => {
      const published = await workflows.publish(actorOf(request), workflowOf(request), request.body.community_id);
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

  // Versions and audit trail: their own module, under the same options.
  await app.register(workflowHistoryRoutes, { workflows });
};
