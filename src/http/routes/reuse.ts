/**
 * @module http/routes/reuse
 * Reuse and history care: export, import, templates, restore a version, rerun and delete an
 * execution. Each route declares its access rule; handlers only speak to services.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EntityIdSchema } from '../../core/ids.ts';
import { PortableWorkflowSchema } from '../../core/portable.ts';
import type { ExecutionService } from '../../services/executions.ts';
import type { WorkflowTransfer } from '../../services/workflow-transfer.ts';
import { actorOf, workflowOf } from '../access.ts';
import { Envelope, errors, ok, Uuid, WorkflowParams } from '../envelope.ts';
import {
  DeletedExecutionSchema,
  ImportedSchema,
  RerunSchema,
  RestoredSchema,
  TemplateSchema,
} from './reuse-answers.ts';
import { VersionParams } from './workflow-schemas.ts';

const Id = EntityIdSchema;
export const ImportBody = Type.Object(
  {
    entity_id: Id,
    community_id: Type.Optional(Type.Union([Id, Type.Null()])),
    license_key: Type.Optional(Type.String({ maxLength: 8192 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    workflow: PortableWorkflowSchema,
  },
  { additionalProperties: false },
);
const ExecutionParams = Type.Object({ execution_id: Uuid }, { additionalProperties: false });

/** An answer whose `data` is an object, kept whole. */
const OpenAnswer = (description: string) => Envelope(Type.Object({}, { additionalProperties: true }), description);

export interface ReuseRoutesOptions {
  readonly transfer: WorkflowTransfer;
  readonly executions: ExecutionService;
}

export const reuseRoutes: FastifyPluginAsyncTypebox<ReuseRoutesOptions> = async (app, { transfer, executions }) => {
  app.get(
    '/api/v1/workflows/:workflow_id/export',
    {
      config: { access: { kind: 'workflow', permission: 'can_view' } },
      schema: {
        tags: ['workflows'],
        summary: 'Export a workflow',
        description: 'The definition as a portable document (credentials by name, never values), for import.',
        params: WorkflowParams,
        response: { 200: OpenAnswer('The export document') },
      },
    },
    async (request) => ok(await transfer.exportOf(workflowOf(request))),
  );

  app.post(
    '/api/v1/workflows/import',
    {
      config: { access: { kind: 'entity' } },
      schema: {
        tags: ['workflows'],
        summary: 'Import a workflow',
        description:
          'Creates a draft from an export document; the answer names credentials and workflows it refers to that this entity lacks.',
        body: ImportBody,
        response: {
          201: Envelope(ImportedSchema, 'Imported as a draft'),
        },
      },
    },
    async (request, reply) => {
      const imported = await transfer.importInto(actorOf(request), request.body);
      reply.status(201);
      const { workflow } = imported;
      return ok(
        {
          workflow_id: workflow.workflow_id,
          name: workflow.name,
          status: workflow.status,
          entity_id: workflow.entity_id,
          community_id: workflow.community_id,
          created_at: workflow.created_at,
          validation: imported.validation,
          missing_credentials: imported.missing_credentials,
          missing_workflows: imported.missing_workflows,
        },
        'Workflow imported as a draft',
      );
    },
  );

  app.get(
    '/api/v1/workflows/templates',
    {
      config: { access: { kind: 'authenticated' } },
      schema: {
        tags: ['workflows'],
        summary: 'List workflow templates',
        response: { 200: Envelope(Type.Array(TemplateSchema), 'The templates') },
      },
    },
    async () => ok(transfer.templates()),
  );

  app.post(
    '/api/v1/workflows/:workflow_id/versions/:version/restore',
    {
      config: { access: { kind: 'workflow', permission: 'can_edit' } },
      schema: {
        tags: ['workflows'],
        summary: 'Restore a published version',
        description: 'Makes that snapshot the working definition again (publish to run it).',
        params: VersionParams,
        response: { 200: Envelope(RestoredSchema, 'Restored'), ...errors(409) },
      },
    },
    async (request) => {
      const restored = await transfer.restore(actorOf(request), workflowOf(request), request.params.version);
      return ok(
        {
          workflow_id: restored.workflow_id,
          version: restored.version,
          restored_from: request.params.version,
          has_unpublished_changes: restored.has_unpublished_changes,
          updated_at: restored.updated_at,
        },
        `Version ${request.params.version} restored as the working definition`,
      );
    },
  );

  app.post(
    '/api/v1/workflows/executions/:execution_id/rerun',
    {
      config: { access: { kind: 'execution', permission: 'can_execute' } },
      schema: {
        tags: ['executions'],
        summary: 'Rerun an execution',
        description: 'Starts a new execution of the latest published version with the same trigger data and variables.',
        params: ExecutionParams,
        response: { 202: Envelope(RerunSchema, 'Accepted: the new execution is queued'), ...errors(409) },
      },
    },
    async (request, reply) => {
      const started = await executions.rerun(actorOf(request), workflowOf(request), request.params.execution_id);
      reply.status(202);
      const { execution_id, workflow_id, status, start_time, execution_path } = started;
      return ok(
        { execution_id, workflow_id, status, start_time, execution_path, rerun_of: request.params.execution_id },
        'Workflow execution started',
      );
    },
  );

  app.delete(
    '/api/v1/workflows/executions/:execution_id',
    {
      config: { access: { kind: 'execution', permission: 'can_edit' } },
      schema: {
        tags: ['executions'],
        summary: 'Delete an execution',
        params: ExecutionParams,
        response: { 200: Envelope(DeletedExecutionSchema, 'Deleted') },
      },
    },
    async (request) => {
      await executions.remove(request.params.execution_id);
      return ok({ execution_id: request.params.execution_id, deleted: true }, 'Execution deleted');
    },
  );
};
