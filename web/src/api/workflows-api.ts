/**
 * @module api/workflows-api
 * The workflow routes of `/api/v1` as typed functions over an ApiClient; queries, bodies and
 * answers are the static types of the routes' own TypeBox schemas.
 */
import type { Static } from '@sinclair/typebox';
import type { ArchivedSchema, CreatedSchema, PublishedSchema } from '../../../src/http/routes/workflow-answers.ts';
import type {
  CreateWorkflowBody,
  ListWorkflowsQuery as ListWorkflowsQuerySchema,
  UpdateWorkflowBody,
} from '../../../src/http/routes/workflow-schemas.ts';
import type { ApiClient, RequestBody } from './client.ts';
import type {
  NodeTypeInfo,
  TestAnswer,
  TestRequest,
  UpdateAnswer,
  ValidationResult,
  VersionSnapshot,
  VersionSummary,
  WorkflowSummary,
  WorkflowView,
} from './types.ts';

type ListQuery = Static<typeof ListWorkflowsQuerySchema>;
/** `page` and `per_page` have server defaults, so a caller may leave them out. */
export type ListWorkflowsQuery = Omit<ListQuery, 'page' | 'per_page'> & Partial<Pick<ListQuery, 'page' | 'per_page'>>;

export type NewWorkflow = RequestBody<Static<typeof CreateWorkflowBody>>;
/** `expected_version`: the version this edit was made on; another stored one answers 409 VERSION_CONFLICT. */
export type WorkflowUpdate = RequestBody<Static<typeof UpdateWorkflowBody>>;

export type CreatedWorkflow = Static<typeof CreatedSchema>;
export type ArchivedWorkflow = Static<typeof ArchivedSchema>;
export type PublishedWorkflow = Static<typeof PublishedSchema>;

export const listWorkflows = (api: ApiClient, query: ListWorkflowsQuery) =>
  api.request<WorkflowSummary[]>('GET', '/api/v1/workflows', { query });

export const getWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<WorkflowView>('GET', `/api/v1/workflows/${id}`)).data;

export const createWorkflow = async (api: ApiClient, body: NewWorkflow) =>
  (await api.request<CreatedWorkflow>('POST', '/api/v1/workflows', { body })).data;

export const updateWorkflow = async (api: ApiClient, id: string, body: WorkflowUpdate) =>
  (await api.request<UpdateAnswer>('PUT', `/api/v1/workflows/${id}`, { body })).data;

export const archiveWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<ArchivedWorkflow>('DELETE', `/api/v1/workflows/${id}`)).data;

export const validateWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<ValidationResult>('POST', `/api/v1/workflows/${id}/validate`, { body: {} })).data;

export const publishWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<PublishedWorkflow>('POST', `/api/v1/workflows/${id}/publish`, { body: {} })).data;

export const listNodeTypes = async (api: ApiClient) =>
  (await api.request<NodeTypeInfo[]>('GET', '/api/v1/workflows/node-types')).data;

export const testWorkflow = async (api: ApiClient, id: string, body: TestRequest) =>
  (await api.request<TestAnswer>('POST', `/api/v1/workflows/${id}/test`, { body })).data;

export const listVersions = (api: ApiClient, id: string, page = 1) =>
  api.request<VersionSummary[]>('GET', `/api/v1/workflows/${id}/versions`, { query: { page, per_page: 50 } });

export const getVersion = async (api: ApiClient, id: string, version: number) =>
  (await api.request<VersionSnapshot>('GET', `/api/v1/workflows/${id}/versions/${version}`)).data;
