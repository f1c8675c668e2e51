/**
 * @module http/routes/workflow-answers
 * Response schemas of the workflow-management and permission routes: what Fastify serializes the
 * answers with and the OpenAPI document shows.
 */
import { Type } from '@sinclair/typebox';
import { EntityIdSchema } from '../../core/ids.ts';
import { GRANT_TYPES } from '../../core/permissions.ts';
import { ValidationResultSchema } from '../../core/validate.ts';
import {
  ConnectionsSchema,
  NodesSchema,
  VariablesSchema,
  WORKFLOW_STATUSES,
  WorkflowSettingsSchema,
} from '../../core/workflow.ts';
import { Envelope, NullableTimestamp, nullable, PagedEnvelope, stringEnum, Timestamp, Uuid } from '../envelope.ts';

const closed = { additionalProperties: false } as const;
const Status = stringEnum(WORKFLOW_STATUSES);
const EntityId = EntityIdSchema;
const CommunityId = nullable(EntityIdSchema);
const PublishedVersion = nullable(
  Type.Integer({ minimum: 1, description: 'latest published snapshot; null until published' }),
);

export const WorkflowViewSchema = Type.Object(
  {
    workflow_id: Uuid,
    name: Type.String(),
    description: Type.String(),
    entity_id: EntityId,
    community_id: CommunityId,
    created_by: Type.String(),
    status: Status,
    nodes: NodesSchema,
    connections: ConnectionsSchema,
    global_variables: VariablesSchema,
    settings: WorkflowSettingsSchema,
    version: Type.Integer({ minimum: 1, description: 'counts edits of the working definition' }),
    published_version: PublishedVersion,
    has_unpublished_changes: Type.Boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
    published_at: NullableTimestamp,
    archived_at: NullableTimestamp,
  },
  closed,
);

export const WorkflowSummarySchema = Type.Object(
  {
    workflow_id: Uuid,
    name: Type.String(),
    description: Type.String(),
    entity_id: EntityId,
    community_id: CommunityId,
    status: Status,
    version: Type.Integer(),
    published_version: PublishedVersion,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  closed,
);

export const CreatedSchema = Type.Object(
  {
    workflow_id: Uuid,
    name: Type.String(),
    status: Status,
    entity_id: EntityId,
    community_id: CommunityId,
    created_at: Timestamp,
  },
  closed,
);
export const CreatedAnswer = Envelope(CreatedSchema, 'Created: the new draft');

export const UpdatedSchema = Type.Object(
  { workflow_id: Uuid, version: Type.Integer(), has_unpublished_changes: Type.Boolean(), updated_at: Timestamp },
  closed,
);
export const UpdatedAnswer = Envelope(UpdatedSchema, 'Saved');

export const ArchivedSchema = Type.Object(
  { workflow_id: Uuid, status: Status, archived_at: NullableTimestamp },
  closed,
);
export const ArchivedAnswer = Envelope(
  ArchivedSchema,
  'Archived (a soft delete: executions and versions stay readable)',
);

export const PublishedSchema = Type.Object(
  { workflow_id: Uuid, status: Status, version: Type.Integer({ minimum: 1 }), published_at: NullableTimestamp },
  closed,
);
export const PublishedAnswer = Envelope(
  PublishedSchema,
  'Published: triggers, schedules and webhooks now run this version',
);

export const ValidationAnswer = Envelope(ValidationResultSchema, 'The validation result (errors block publishing)');

export const VersionSummarySchema = Type.Object(
  { workflow_id: Uuid, version: Type.Integer(), published_by: Type.String(), published_at: Timestamp },
  closed,
);

export const VersionSnapshotSchema = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    nodes: NodesSchema,
    connections: ConnectionsSchema,
    global_variables: VariablesSchema,
    settings: WorkflowSettingsSchema,
    workflow_id: Uuid,
    version: Type.Integer(),
    published_by: Type.String(),
    published_at: Timestamp,
  },
  closed,
);
export const VersionAnswer = Envelope(VersionSnapshotSchema, 'The published snapshot');

export const AuditEntrySchema = Type.Object(
  {
    audit_id: Type.Integer(),
    workflow_id: Uuid,
    action: Type.String({ description: 'e.g. workflow.create, workflow.publish, webhook.rotate_secret' }),
    actor_id: Type.String(),
    actor_username: nullable(Type.String()),
    client_ip: nullable(Type.String()),
    details: Type.Object({}, { additionalProperties: true }),
    created_at: Timestamp,
  },
  closed,
);

export const GrantSchema = Type.Object(
  {
    workflow_id: Uuid,
    permission_type: stringEnum(GRANT_TYPES),
    target_id: Type.String(),
    can_view: Type.Boolean(),
    can_edit: Type.Boolean(),
    can_delete: Type.Boolean(),
    can_execute: Type.Boolean(),
    can_manage_permissions: Type.Boolean(),
    granted_by: Type.String(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  closed,
);

export const GrantsAnswer = Envelope(Type.Array(GrantSchema), 'Every grant of the workflow');
export const GrantAnswer = Envelope(GrantSchema, 'The grant as saved');
export const RevokedSchema = Type.Object(
  { permission_type: stringEnum(GRANT_TYPES), target_id: Type.String() },
  closed,
);
export const RevokedAnswer = Envelope(RevokedSchema, 'Removed');

export const WorkflowAnswer = Envelope(WorkflowViewSchema, 'The workflow with its working definition');
export const WorkflowListAnswer = PagedEnvelope(WorkflowSummarySchema, 'A page of workflows');
export const VersionListAnswer = PagedEnvelope(VersionSummarySchema, 'Published versions, newest first');
export const AuditListAnswer = PagedEnvelope(AuditEntrySchema, 'The audit trail, newest first');
