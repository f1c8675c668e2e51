/**
 * @module api/runs-api
 * The execution, stats, webhook, schedule, permission, audit and version routes of `/api/v1`
 * as typed functions over an ApiClient (the runs and operations pages use these).
 */
import type { TriggerSource } from '../../../src/services/execution-types.ts';
import type { StatsBucket, WorkflowStats } from '../runs/stats-chart.ts';
import type { RunSpan } from '../runs/timeline-layout.ts';
import type { ApiClient, Query } from './client.ts';

export type ExecutionStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface NodeState {
  readonly node_id: string;
  readonly node_type?: string;
  readonly status: string;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly input_data?: unknown;
  readonly output_data?: unknown;
  readonly logs?: readonly string[];
  readonly error: string | null;
  readonly attempts?: number;
  readonly runs?: number;
}

export interface OutboxEntry {
  readonly node_id: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly delivered: boolean;
  readonly simulated: boolean;
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
}

export interface ExecutionMetrics {
  readonly queue_wait_ms: number | null;
  readonly total_duration_ms: number | null;
  readonly node_durations_ms: Readonly<Record<string, number>>;
  readonly nodes_executed: number;
  readonly nodes_failed: number;
  readonly nodes_skipped: number;
  readonly retries: number;
}

export interface Execution {
  readonly execution_id: string;
  readonly workflow_id: string;
  readonly workflow_version: number | null;
  readonly status: ExecutionStatus;
  readonly trigger_source: string;
  readonly test_mode: boolean;
  readonly queued_at: string;
  readonly start_time: string | null;
  readonly end_time: string | null;
  readonly cancelled_at: string | null;
  readonly execution_time_seconds: number | null;
  readonly execution_path: readonly string[];
  readonly node_states: Readonly<Record<string, NodeState>>;
  readonly final_variables: Readonly<Record<string, unknown>>;
  readonly final_output: Readonly<Record<string, unknown>>;
  readonly outbox: readonly OutboxEntry[];
  readonly error_message: string | null;
  readonly error_node_id: string | null;
  /** Set on a sub-workflow run: the run and node that started it. */
  readonly parent_execution_id: string | null;
  readonly parent_node_id: string | null;
  /** Set on a rerun: the run it repeats. */
  readonly rerun_of: string | null;
  readonly metrics?: ExecutionMetrics;
  readonly timeline?: { readonly spans: readonly RunSpan[]; readonly dropped: number };
}

export interface ExecutionSummary {
  readonly execution_id: string;
  readonly workflow_id: string;
  readonly status: ExecutionStatus;
  readonly trigger_source: TriggerSource;
  readonly test_mode: boolean;
  readonly start_time: string | null;
  readonly end_time: string | null;
  readonly execution_time_seconds: number | null;
  readonly nodes_executed: number;
  readonly success: boolean;
  readonly error: string | null;
}

export interface ListExecutionsQuery extends Query {
  community_id: number | string;
  status?: ExecutionStatus;
  trigger_source?: TriggerSource;
  sort_by?: 'start_time' | 'status' | 'execution_time';
  sort_order?: 'asc' | 'desc';
  include_test?: boolean;
  page?: number;
  per_page?: number;
}

export interface Webhook {
  readonly webhook_id: string;
  readonly workflow_id: string;
  readonly token: string;
  readonly name: string;
  readonly description?: string;
  readonly url: string;
  readonly enabled: boolean;
  readonly require_signature: boolean;
  readonly ip_allowlist: readonly string[];
  readonly rate_limit_max: number;
  readonly rate_limit_window: number;
  readonly created_at: string;
  readonly last_triggered_at: string | null;
  readonly trigger_count: number;
  /** Only in the answers of create and rotate-secret. */
  readonly secret?: string;
}

export interface Schedule {
  readonly schedule_id: string;
  readonly node_id: string;
  readonly cron: string;
  readonly timezone: string;
  readonly max_executions: number | null;
  readonly next_run_at: string | null;
  readonly last_run_at: string | null;
  readonly run_count: number;
  readonly last_execution_id?: string | null;
}

export const PERMISSION_FLAGS = [
  'can_view',
  'can_edit',
  'can_delete',
  'can_execute',
  'can_manage_permissions',
] as const;
export type PermissionFlag = (typeof PERMISSION_FLAGS)[number];

export type Grant = {
  readonly permission_type: 'user' | 'role' | 'entity';
  readonly target_id: string;
} & Readonly<Record<PermissionFlag, boolean>>;

export interface AuditEntry {
  readonly action: string;
  readonly actor_id: string;
  readonly actor_username?: string | null;
  readonly client_ip: string | null;
  readonly details?: unknown;
  readonly created_at: string;
}

export type { StatsBucket, TriggerSource, WorkflowStats };

const wf = (id: string) => `/api/v1/workflows/${id}`;
const ex = (id: string) => `/api/v1/workflows/executions/${id}`;

export const getExecution = async (api: ApiClient, id: string) =>
  (await api.request<Execution>('GET', ex(id), { query: { include_metrics: true, include_timeline: true } })).data;

export const cancelExecution = async (api: ApiClient, id: string) =>
  (await api.request<{ status: string; cancelled_at: string }>('POST', `${ex(id)}/cancel`)).data;

export const listExecutions = (api: ApiClient, workflowId: string, query: ListExecutionsQuery) =>
  api.request<ExecutionSummary[]>('GET', `${wf(workflowId)}/executions`, { query });

export const executeWorkflow = async (api: ApiClient, workflowId: string, variables: Record<string, unknown> = {}) =>
  (await api.request<{ execution_id: string }>('POST', `${wf(workflowId)}/execute`, { body: { variables } })).data;

export const testWorkflow = async (api: ApiClient, workflowId: string, body: Record<string, unknown>) =>
  (await api.request<{ execution_id: string; status: string }>('POST', `${wf(workflowId)}/test`, { body })).data;

export const getStats = async (api: ApiClient, workflowId: string, hours = 24) =>
  (await api.request<WorkflowStats>('GET', `${wf(workflowId)}/stats`, { query: { hours } })).data;

export const listWebhooks = async (api: ApiClient, workflowId: string) =>
  (await api.request<Webhook[]>('GET', `${wf(workflowId)}/webhooks`, { query: { per_page: 100 } })).data;

export const createWebhook = async (
  api: ApiClient,
  workflowId: string,
  body: { name: string; require_signature: boolean },
) => (await api.request<Webhook>('POST', `${wf(workflowId)}/webhooks`, { body })).data;

export const updateWebhook = async (api: ApiClient, workflowId: string, id: string, body: Partial<Webhook>) =>
  (await api.request<Webhook>('PATCH', `${wf(workflowId)}/webhooks/${id}`, { body })).data;

export const rotateWebhookSecret = async (api: ApiClient, workflowId: string, id: string) =>
  (await api.request<Webhook>('POST', `${wf(workflowId)}/webhooks/${id}/rotate-secret`)).data;

export const deleteWebhook = async (api: ApiClient, workflowId: string, id: string) =>
  (await api.request<{ webhook_id: string }>('DELETE', `${wf(workflowId)}/webhooks/${id}`)).data;

export const listSchedules = async (api: ApiClient, workflowId: string) =>
  (await api.request<Schedule[]>('GET', `${wf(workflowId)}/schedules`, { query: { per_page: 100 } })).data;

export const listGrants = async (api: ApiClient, workflowId: string) =>
  (await api.request<Grant[]>('GET', `${wf(workflowId)}/permissions`)).data;

export const putGrant = async (api: ApiClient, workflowId: string, grant: Grant) =>
  (await api.request<Grant>('PUT', `${wf(workflowId)}/permissions`, { body: grant })).data;

export const deleteGrant = async (api: ApiClient, workflowId: string, type: string, target: string) =>
  (await api.request<unknown>('DELETE', `${wf(workflowId)}/permissions/${type}/${encodeURIComponent(target)}`)).data;

export const listAudit = (api: ApiClient, workflowId: string, page = 1) =>
  api.request<AuditEntry[]>('GET', `${wf(workflowId)}/audit`, { query: { page, per_page: 50 } });
