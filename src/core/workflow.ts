/**
 * @module core/workflow
 * The workflow definition as it travels on the wire and is stored: nodes keyed by id,
 * connections between ports, global variables and settings. One TypeBox schema serves
 * request validation, handler types and the OpenAPI document.
 */
import { type Static, Type } from '@sinclair/typebox';
import { plainText } from './text.ts';

export const NODE_ID_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const RetryPolicySchema = Type.Object(
  {
    max_attempts: Type.Integer({ minimum: 1, maximum: 10 }),
    backoff_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
    max_backoff_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
  },
  { additionalProperties: false },
);
export type RetryPolicy = Static<typeof RetryPolicySchema>;

export const PositionSchema = Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false });

export const WorkflowNodeSchema = Type.Object(
  {
    node_type: Type.String({ minLength: 1, maxLength: 64 }),
    label: Type.Optional(plainText({ maxLength: 200 })),
    position: Type.Optional(PositionSchema),
    config: Type.Optional(Type.Record(Type.String({ maxLength: 128 }), Type.Unknown())),
    enabled: Type.Optional(Type.Boolean()),
    retry: Type.Optional(RetryPolicySchema),
    timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400 })),
  },
  // The title lets the OpenAPI document swap in its per-node-type oneOf (http/openapi.ts).
  { additionalProperties: false, title: 'WorkflowNode' },
);
export type WorkflowNode = Static<typeof WorkflowNodeSchema>;

export const ConnectionSchema = Type.Object(
  {
    connection_id: Type.Optional(plainText({ minLength: 1, maxLength: 128 })),
    from_node_id: plainText({ minLength: 1, maxLength: 64 }),
    from_port_name: plainText({ minLength: 1, maxLength: 64 }),
    to_node_id: plainText({ minLength: 1, maxLength: 64 }),
    to_port_name: plainText({ minLength: 1, maxLength: 64 }),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Connection = Static<typeof ConnectionSchema>;

/** Drafts may hold more than a publishable workflow (validation reports >500 nodes); this caps storage. */
export const MAX_STORED_NODES = 2000;
export const MAX_STORED_CONNECTIONS = 10_000;

export const NodesSchema = Type.Record(Type.String({ pattern: NODE_ID_PATTERN }), WorkflowNodeSchema, {
  maxProperties: MAX_STORED_NODES,
  additionalProperties: false,
});
export const ConnectionsSchema = Type.Array(ConnectionSchema, { maxItems: MAX_STORED_CONNECTIONS });
export const VariablesSchema = Type.Record(Type.String({ maxLength: 128 }), Type.Unknown(), {
  maxProperties: 1000,
});

export const WorkflowSettingsSchema = Type.Object(
  {
    timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400 })),
    max_parallel_executions: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    retry: Type.Optional(RetryPolicySchema),
    /** A workflow of the same entity started when a run of this one ends failed. */
    error_workflow_id: Type.Optional(Type.Union([Type.String({ pattern: UUID_PATTERN }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type WorkflowSettings = Static<typeof WorkflowSettingsSchema>;

/** What the engine runs and a version snapshots. */
export interface WorkflowDefinition {
  readonly nodes: Readonly<Record<string, WorkflowNode>>;
  readonly connections: readonly Connection[];
  readonly global_variables: Readonly<Record<string, unknown>>;
  readonly settings: WorkflowSettings;
}

export const WORKFLOW_STATUSES = ['draft', 'active', 'archived'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** A connection id for connections sent without one: stable, and names both ends. */
export function connectionLabel(connection: Connection, index: number): string {
  return (
    connection.connection_id ??
    `connection #${index + 1} (${connection.from_node_id}.${connection.from_port_name} -> ${connection.to_node_id}.${connection.to_port_name})`
  );
}
