/**
 * @module http/routes/reuse-answers
 * Response schemas of the reuse routes (import, templates, restore, rerun, delete an execution):
 * what Fastify serializes those answers with, the OpenAPI document shows and the web client
 * types itself from.
 */
import { Type } from '@sinclair/typebox';
import { PortableWorkflowSchema } from '../../core/portable.ts';
import { ValidationResultSchema } from '../../core/validate.ts';
import { nullable, Timestamp, Uuid } from '../envelope.ts';
import { StartedSchema } from './execution-answers.ts';

const closed = { additionalProperties: false } as const;

export const ImportedSchema = Type.Object(
  {
    workflow_id: Uuid,
    name: Type.String(),
    status: Type.String(),
    entity_id: Type.Integer(),
    community_id: nullable(Type.Integer()),
    created_at: Timestamp,
    validation: ValidationResultSchema,
    missing_credentials: Type.Array(Type.String(), {
      description: 'credential names the document uses that this entity lacks',
    }),
    missing_workflows: Type.Array(Type.String(), {
      description: 'names of called workflows not found in this entity (their nodes are left to fix)',
    }),
  },
  { additionalProperties: true },
);

export const TemplateSchema = Type.Object(
  {
    template_id: Type.String({ description: 'the file name under templates/, without .json' }),
    name: Type.String(),
    description: Type.String(),
    trigger_types: Type.Array(Type.String(), { description: 'the trigger node types it starts from, sorted' }),
    workflow: PortableWorkflowSchema,
  },
  { ...closed, description: 'A shipped workflow: creating from it is an import of `workflow`' },
);

export const RestoredSchema = Type.Object(
  {
    workflow_id: Uuid,
    version: Type.Integer({ minimum: 1, description: 'the working definition’s version after the restore' }),
    restored_from: Type.Integer({ minimum: 1, description: 'the published version restored' }),
    has_unpublished_changes: Type.Boolean(),
    updated_at: Timestamp,
  },
  closed,
);

/** The execute answer's fields (an execution record, open like it) and the run it repeats. */
export const RerunSchema = Type.Object(
  { ...StartedSchema.properties, rerun_of: Type.String({ format: 'uuid', description: 'the run it repeats' }) },
  { additionalProperties: true },
);

export const DeletedExecutionSchema = Type.Object({ execution_id: Uuid, deleted: Type.Literal(true) }, closed);
