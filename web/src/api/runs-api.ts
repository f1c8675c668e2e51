/**
 * @module api/runs-api
 * The execution, stats, webhook, schedule, permission, audit and version routes of `/api/v1`
 * as typed functions over an ApiClient (the runs and operations pages use these). Queries, bodies
 * and answers are the static types of the routes' own TypeBox schemas (type imports only, so
 * nothing of the server is bundled).
 */
import type { Static } from '@sinclair/typebox';
import type { PermissionFlag } from '../../../src/core/permissions.ts';
import type {
  CancelledSchema,
  ExecutionMetricsSchema,
  ExecutionSummarySchema,
  ExecutionViewSchema,
  NodeStateSchema,
  OutboxEntrySchema,
  RunSpanSchema,
} from '../../../src/http/routes/execution-answers.ts';
import type { ListQuery } from '../../../src/http/routes/executions.ts';
import type { ScheduleSchema } from '../../../src/http/routes/schedules.ts';
import type { StatsSchema } from '../../../src/http/routes/stats.ts';
import type {
  DeletedWebhookSchema,
  WebhookSchema,
  WebhookWithSecret as WebhookWithSecretSchema,
} from '../../../src/http/routes/webhook-answers.ts';
import type { CreateWebhookBody, UpdateWebhookBody } from '../../../src/http/routes/webhooks.ts';
import type { AuditEntrySchema, GrantSchema, RevokedSchema } from '../../../src/http/routes/workflow-answers.ts';
import type { GrantBody } from '../../../src/http/routes/workflow-schemas.ts';
import type { ExecutionStatus, TriggerSource } from '../../../src/services/execution-types.ts';
import type { ApiClient } from './client.ts';

export type { ExecutionStatus, PermissionFlag, TriggerSource };

export type NodeState = Static<typeof NodeStateSchema>;
export type OutboxEntry = Static<typeof OutboxEntrySchema>;
export type ExecutionMetrics = Static<typeof ExecutionMetricsSchema>;

/** One node run attempt of the execution's `timeline` (only with include_timeline=true). */
export type RunSpan = Static<typeof RunSpanSchema>;
export type Execution = Static<typeof ExecutionViewSchema>;

export type ExecutionSummary = Static<typeof ExecutionSummarySchema>;
export type CancelledExecution = Static<typeof CancelledSchema>;

type ExecutionsQuery = Static<typeof ListQuery>;
/** The parameters with server defaults (sort, test runs, paging) may be left out. */
export type ListExecutionsQuery = Pick<ExecutionsQuery, 'community_id'> &
  Partial<Omit<ExecutionsQuery, 'community_id'>>;

export type Webhook = Static<typeof WebhookSchema>;
/** The answers of create and rotate-secret: the webhook with its signing secret, shown only there. */
export type WebhookWithSecret = Static<typeof WebhookWithSecretSchema>;
export type NewWebhook = Static<typeof CreateWebhookBody>;
export type WebhookChanges = Static<typeof UpdateWebhookBody>;
export type DeletedWebhook = Static<typeof DeletedWebhookSchema>;

export type Schedule = Static<typeof ScheduleSchema>;

/** A value, so kept here (nothing of the server is bundled); `satisfies` holds it to core/permissions. */
export const PERMISSION_FLAGS = [
  'can_view',
  'can_edit',
  'can_delete',
  'can_execute',
  'can_manage_permissions',
] as const satisfies readonly PermissionFlag[];

export type Grant = Static<typeof GrantSchema>;
/** What PUT …/permissions takes: flags left out are false. */
export type GrantRequest = Static<typeof GrantBody>;
export type RevokedGrant = Static<typeof RevokedSchema>;

export type AuditEntry = Static<typeof AuditEntrySchema>;

export type WorkflowStats = Static<typeof StatsSchema>;
export type StatsBucket = WorkflowStats['buckets'][number];

const wf = (id: string) => `/api/v1/workflows/${id}`;
const ex = (id: string) => `/api/v1/workflows/executions/${id}`;

export const getExecution = async (api: ApiClient, id: string) =>
  (await api.request<Execution>('GET', ex(id), { query: { include_metrics: true, include_timeline: true } })).data;

export const cancelExecution = async (api: ApiClient, id: string) =>
  (await api.request<CancelledExecution>('POST', `${ex(id)}/cancel`)).data;

export const listExecutions = (api: ApiClient, workflowId: string, query: ListExecutionsQuery) =>
  api.request<ExecutionSummary[]>('GET', `${wf(workflowId)}/executions`, { query });

export const getStats = async (api: ApiClient, workflowId: string, hours = 24) =>
  (await api.request<WorkflowStats>('GET', `${wf(workflowId)}/stats`, { query: { hours } })).data;

export const listWebhooks = async (api: ApiClient, workflowId: string) =>
  (await api.request<Webhook[]>('GET', `${wf(workflowId)}/webhooks`, { query: { per_page: 100 } })).data;

export const createWebhook = async (api: ApiClient, workflowId: string, body: NewWebhook) =>
  (await api.request<WebhookWithSecret>('POST', `${wf(workflowId)}/webhooks`, { body })).data;

export const updateWebhook = async (api: ApiClient, workflowId: string, id: string, body: WebhookChanges) =>
  (await api.request<Webhook>('PATCH', `${wf(workflowId)}/webhooks/${id}`, { body })).data;

export const rotateWebhookSecret = async (api: ApiClient, workflowId: string, id: string) =>
  (await api.request<WebhookWithSecret>('POST', `${wf(workflowId)}/webhooks/${id}/rotate-secret`)).data;

export const deleteWebhook = async (api: ApiClient, workflowId: string, id: string) =>
  (await api.request<DeletedWebhook>('DELETE', `${wf(workflowId)}/webhooks/${id}`)).data;

export const listSchedules = async (api: ApiClient, workflowId: string) =>
  (await api.request<Schedule[]>('GET', `${wf(workflowId)}/schedules`, { query: { per_page: 100 } })).data;

export const listGrants = async (api: ApiClient, workflowId: string) =>
  (await api.request<Grant[]>('GET', `${wf(workflowId)}/permissions`)).data;

export const putGrant = async (api: ApiClient, workflowId: string, grant: GrantRequest) =>
  (await api.request<Grant>('PUT', `${wf(workflowId)}/permissions`, { body: grant })).data;

export const deleteGrant = async (
  api: ApiClient,
  workflowId: string,
  type: GrantRequest['permission_type'],
  target: string,
) =>
  (await api.request<RevokedGrant>('DELETE', `${wf(workflowId)}/permissions/${type}/${encodeURIComponent(target)}`))
    .data;

export const listAudit = (api: ApiClient, workflowId: string, page = 1) =>
  api.request<AuditEntry[]>('GET', `${wf(workflowId)}/audit`, { query: { page, per_page: 50 } });
