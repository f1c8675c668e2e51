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

export interface ExecutionTable {
  execution_id: string;
  workflow_id: string;
  workflow_version: number | null;
  status: string;
  trigger_source: string;
  trigger_node_ids: string | null;
  /** JSON: trigger data, trigger variable, variables, mock outputs: what the run was asked to do. */
  request: string;
  metadata: string;
  test_mode: Bool;
  entity_id: number | null;
  community_id: number | null;
  created_by: string | null;
  queued_at: string;
  start_time: string | null;
  end_time: string | null;
  cancelled_at: string | null;
  cancel_requested: Generated<Bool>;
  execution_time_ms: number | null;
  execution_path: Generated<string>;
  node_states: Generated<string>;
  final_variables: string | null;
  final_output: string | null;
  outbox: Generated<string>;
  error_message: string | null;
  error_node_id: string | null;
  checkpoint: string | null;
  metrics: string | null;
  nodes_executed: Generated<number>;
  nodes_failed: Generated<number>;
  /** Starts of the run's work (claim or resume) since its last clean stop; see execution-runner. */
  resume_attempts: Generated<number>;
  updated_at: string;
  /** A sub-workflow run: the run and the action_workflow node that started it. */
  parent_execution_id: Generated<string | null>;
  parent_node_id: Generated<string | null>;
  /** `<parent id>:<node>#<run>.<attempt>`: the parent's node run that started it; unique. */
  parent_call_key: Generated<string | null>;
  /** Nesting of sub-workflow calls: 0 for a run nobody called. */
  depth: Generated<number>;
  /** The run this one repeats (POST …/rerun). */
  rerun_of: Generated<string | null>;
  /** Raised by each claim or takeover; the run's writes hold only under the epoch they claimed. */
  lease_epoch: Generated<number>;
}

export interface CredentialTable {
  credential_id: string;
  entity_id: number;
  name: string;
  type: string;
  description: string;
  /** JSON: field name -> encrypted value (see services/credential-cipher.ts). */
  fields: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface WebhookTable {
  webhook_id: string;
  workflow_id: string;
  token: string;
  /** The HMAC key itself: verification needs it, so it cannot be stored hashed. */
  secret: string;
  name: string;
  description: string;
  enabled: Bool;
  require_signature: Bool;
  /** JSON array of addresses / CIDR ranges. */
  ip_allowlist: string;
  rate_limit_max: number;
  rate_limit_window: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  last_triggered_at: string | null;
  /** bigint: PostgreSQL hands it back as a string. */
  trigger_count: number | string;
}

export interface WebhookIdempotencyTable {
  webhook_id: string;
  idempotency_key: string;
  execution_id: string;
  /** JSON: the answer the first call got. */
  response: string;
  created_at: string;
}

export interface ScheduleTable {
  schedule_id: string;
  workflow_id: string;
  node_id: string;
  cron: string;
  timezone: string;
  catch_up: string;
  max_executions: number | null;
  workflow_version: number;
  /** ISO-8601 UTC; null once the schedule is retired. */
  next_run_at: string | null;
  last_run_at: string | null;
  last_scheduled_for: string | null;
  last_execution_id: string | null;
  run_count: number;
  created_at: string;
  updated_at: string;
}

/** One row per fired slot: the primary key (schedule_id, scheduled_for) is the cross-process claim. */
export interface ScheduleFireTable {
  schedule_id: string;
  scheduled_for: string;
  fired_at: string;
  execution_id: string | null;
}

export interface Database {
  credentials: CredentialTable;
  executions: ExecutionTable;
  webhooks: WebhookTable;
  webhook_idempotency: WebhookIdempotencyTable;
  workflows: WorkflowTable;
  workflow_versions: WorkflowVersionTable;
  workflow_grants: WorkflowGrantTable;
  audit_log: AuditLogTable;
  schedules: ScheduleTable;
  schedule_fires: ScheduleFireTable;
}

export type Db = Kysely<Database>;
export type WorkflowRow = Selectable<WorkflowTable>;
export type NewWorkflowRow = Insertable<WorkflowTable>;
export type WorkflowRowUpdate = Updateable<WorkflowTable>;
export type WorkflowVersionRow = Selectable<WorkflowVersionTable>;
export type WorkflowGrantRow = Selectable<WorkflowGrantTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type ExecutionRow = Selectable<ExecutionTable>;
export type NewExecutionRow = Insertable<ExecutionTable>;
export type ExecutionRowUpdate = Updateable<ExecutionTable>;
