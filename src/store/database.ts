/**
 * @module store/database
 * Table interfaces for Kysely. The same shapes serve SQLite and PostgreSQL: JSON is stored as
 * text, timestamps as ISO-8601 UTC text (lexically ordered), booleans as 0/1 integers, so one
 * repository code path serves both dialects.
 */
import type { Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';

export type Bool = 0 | 1;

export interface WorkflowTable {
  workflow_id: string;
  name: string;
  description: string;
  entity_id: number;
  community_id: number | null;
  created_by: string;
  status: string;
  nodes: string;
  connections: string;
  global_variables: string;
  settings: string;
  version: number;
  published_version: number | null;
  /** The working definition differs from the published snapshot. */
  has_unpublished_changes: Bool;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  archived_at: string | null;
}

export interface WorkflowVersionTable {
  workflow_id: string;
  version: number;
  snapshot: string;
  published_by: string;
  published_at: string;
}

export interface WorkflowGrantTable {
  workflow_id: string;
  permission_type: string;
  target_id: string;
  can_view: Bool;
  can_edit: Bool;
  can_delete: Bool;
  can_execute: Bool;
  can_manage_permissions: Bool;
  granted_by: string;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  audit_id: Generated<number>;
  workflow_id: string;
  action: string;
  actor_id: string;
  actor_username: string | null;
  client_ip: string | null;
  details: string;
  created_at: string;
}

export interface Database {
  workflows: WorkflowTable;
  workflow_versions: WorkflowVersionTable;
  workflow_grants: WorkflowGrantTable;
  audit_log: AuditLogTable;
}

export type Db = Kysely<Database>;
export type WorkflowRow = Selectable<WorkflowTable>;
export type NewWorkflowRow = Insertable<WorkflowTable>;
export type WorkflowRowUpdate = Updateable<WorkflowTable>;
export type WorkflowVersionRow = Selectable<WorkflowVersionTable>;
export type WorkflowGrantRow = Selectable<WorkflowGrantTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
