/**
 * @module http/routes/workflow-schemas
 * Request schemas of the workflow-management routes (the answers' view is services/workflow-view).
 */
import { Type } from '@sinclair/typebox';
import { EntityIdSchema } from '../../core/ids.ts';
import { GRANT_TYPES } from '../../core/permissions.ts';
import { plainText } from '../../core/text.ts';
import {
  ConnectionsSchema,
  NodesSchema,
  VariablesSchema,
  WORKFLOW_STATUSES,
  WorkflowSettingsSchema,
} from '../../core/workflow.ts';
import { PageQuery } from '../envelope.ts';

const Name = plainText({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Description = plainText({ maxLength: 10_000 });
const EntityId = EntityIdSchema;
const CommunityId = Type.Union([EntityIdSchema, Type.Null()]);

export const CreateWorkflowBody = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    entity_id: EntityId,
    community_id: Type.Optional(CommunityId),
    license_key: Type.Optional(Type.String({ maxLength: 8192 })),
    nodes: Type.Optional(NodesSchema),
    connections: Type.Optional(ConnectionsSchema),
    global_variables: Type.Optional(VariablesSchema),
    settings: Type.Optional(WorkflowSettingsSchema),
  },
  { additionalProperties: false },
);

export const UpdateWorkflowBody = Type.Object(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    community_id: Type.Optional(CommunityId),
    nodes: Type.Optional(NodesSchema),
    connections: Type.Optional(ConnectionsSchema),
    global_variables: Type.Optional(VariablesSchema),
    settings: Type.Optional(WorkflowSettingsSchema),
    /** The `version` this edit was made on; another stored version answers 409 VERSION_CONFLICT. */
    expected_version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CommunityBody = Type.Object({ community_id: Type.Optional(CommunityId) }, { additionalProperties: false });

export const CommunityQuery = Type.Object({ community_id: Type.Optional(EntityId) });

export const ListWorkflowsQuery = Type.Object({
  entity_id: EntityId,
  community_id: Type.Optional(EntityId),
  status: Type.Optional(Type.Union(WORKFLOW_STATUSES.map((s) => Type.Literal(s)))),
  search: Type.Optional(plainText({ maxLength: 200 })),
  ...PageQuery,
});

export const PageOnlyQuery = Type.Object({ ...PageQuery });

export const GrantBody = Type.Object(
  {
    permission_type: Type.Union(GRANT_TYPES.map((t) => Type.Literal(t))),
    target_id: plainText({ minLength: 1, maxLength: 128 }),
    can_view: Type.Optional(Type.Boolean()),
    can_edit: Type.Optional(Type.Boolean()),
    can_delete: Type.Optional(Type.Boolean()),
    can_execute: Type.Optional(Type.Boolean()),
    can_manage_permissions: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const GrantParams = Type.Object(
  {
    workflow_id: Type.String({ format: 'uuid' }),
    permission_type: Type.Union(GRANT_TYPES.map((t) => Type.Literal(t))),
    target_id: plainText({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);

export const VersionParams = Type.Object(
  { workflow_id: Type.String({ format: 'uuid' }), version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) },
  { additionalProperties: false },
);
