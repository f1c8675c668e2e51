/**
 * @module api/workflows-api
 * The workflow routes of `/api/v1` as typed functions over an ApiClient.
 */
import type { ApiClient, Query } from './client.ts';
import type {
  NodeTypeInfo,
  TestAnswer,
  TestRequest,
  UpdateAnswer,
  ValidationResult,
  VersionSnapshot,
  VersionSummary,
  WorkflowDefinition,
  WorkflowSettings,
  WorkflowStatus,
  WorkflowSummary,
  WorkflowView,
} from './types.ts';

export interface ListWorkflowsQuery extends Query {
  entity_id: number | string;
  status?: WorkflowStatus;
  search?: string;
  page?: number;
  per_page?: number;
}

export interface NewWorkflow extends Partial<WorkflowDefinition> {
  readonly name: string;
  readonly description?: string;
  readonly entity_id: number | string;
}

export interface WorkflowUpdate extends Partial<WorkflowDefinition> {
  readonly name?: string;
  readonly description?: string;
  readonly global_variables?: Record<string, unknown>;
  readonly settings?: WorkflowSettings;
  /** The version this edit was made on; a different stored version answers 409 VERSION_CONFLICT. */
  readonly expected_version?: number;
}

export const listWorkflows = (api: ApiClient, query: ListWorkflowsQuery) =>
  api.request<WorkflowSummary[]>('GET', '/api/v1/workflows', { query });

export const getWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<WorkflowView>('GET', `/api/v1/workflows/${id}`)).data;

export const createWorkflow = async (api: ApiClient, body: NewWorkflow) =>
  (await api.request<{ workflow_id: string }>('POST', '/api/v1/workflows', { body })).data;

export const updateWorkflow = async (api: ApiClient, id: string, body: WorkflowUpdate) =>
  (await api.request<UpdateAnswer>('PUT', `/api/v1/workflows/${id}`, { body })).data;

export const archiveWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<{ status: WorkflowStatus }>('DELETE', `/api/v1/workflows/${id}`)).data;

export const validateWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<ValidationResult>('POST', `/api/v1/workflows/${id}/validate`, { body: {} })).data;

export const publishWorkflow = async (api: ApiClient, id: string) =>
  (
    await api.request<{ version: number; status: WorkflowStatus }>('POST', `/api/v1/workflows/${id}/publish`, {
      body: {},
    })
  ).data;

export const listNodeTypes = async (api: ApiClient) =>
  (await api.request<NodeTypeInfo[]>('GET', '/api/v1/workflows/node-types')).data;

export const testWorkflow = async (api: ApiClient, id: string, body: TestRequest) =>
  (await api.request<TestAnswer>('POST', `/api/v1/workflows/${id}/test`, { body })).data;

export const listVersions = (api: ApiClient, id: string, page = 1) =>
  api.request<VersionSummary[]>('GET', `/api/v1/workflows/${id}/versions`, { query: { page, per_page: 50 } });

export const getVersion = async (api: ApiClient, id: string, version: number) =>
  (await api.request<VersionSnapshot>('GET', `/api/v1/workflows/${id}/versions/${version}`)).data;
