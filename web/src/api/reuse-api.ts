/**
 * @module api/reuse-api
 * The reuse routes of `/api/v1` as typed functions: credentials, export and import, templates,
 * rerun and delete of an execution. Shapes come from the server's own code (core/portable,
 * services/credentials, services/workflow-transfer), so they cannot drift apart.
 */
import type { PortableWorkflow } from '../../../src/core/portable.ts';
import type { CredentialChanges, CredentialInput, credentialView } from '../../../src/services/credentials.ts';
import type { ImportResult, Template } from '../../../src/services/workflow-transfer.ts';
import type { ApiClient } from './client.ts';

export type { PortableWorkflow, Template };
export type Credential = ReturnType<typeof credentialView>;

/** The create and update bodies, as the credential service takes them. */
export type NewCredential = CredentialInput;
export type CredentialUpdate = CredentialChanges;

export interface ImportRequest {
  readonly entity_id: number;
  readonly community_id?: number | null;
  readonly name?: string;
  readonly workflow: PortableWorkflow;
}

export type ImportAnswer = Pick<ImportResult, 'missing_credentials' | 'missing_workflows' | 'validation'> & {
  readonly workflow_id: string;
  readonly name: string;
  readonly status: string;
  readonly entity_id: number;
};

export interface RerunAnswer {
  readonly execution_id: string;
  readonly workflow_id: string;
  readonly status: string;
  readonly rerun_of: string;
}

export const listCredentials = (api: ApiClient, entityId: number | string, page = 1) =>
  api.request<Credential[]>('GET', '/api/v1/credentials', { query: { entity_id: entityId, page, per_page: 100 } });

export const createCredential = async (api: ApiClient, body: NewCredential) =>
  (await api.request<Credential>('POST', '/api/v1/credentials', { body })).data;

export const updateCredential = async (api: ApiClient, id: string, body: CredentialUpdate) =>
  (await api.request<Credential>('PUT', `/api/v1/credentials/${id}`, { body })).data;

export const deleteCredential = async (api: ApiClient, id: string) =>
  (await api.request<{ deleted: true }>('DELETE', `/api/v1/credentials/${id}`)).data;

export const exportWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<PortableWorkflow>('GET', `/api/v1/workflows/${id}/export`)).data;

export const importWorkflow = async (api: ApiClient, body: ImportRequest) =>
  (await api.request<ImportAnswer>('POST', '/api/v1/workflows/import', { body })).data;

export const listTemplates = async (api: ApiClient) =>
  (await api.request<Template[]>('GET', '/api/v1/workflows/templates')).data;

export const rerunExecution = async (api: ApiClient, id: string) =>
  (await api.request<RerunAnswer>('POST', `/api/v1/workflows/executions/${id}/rerun`, { body: {} })).data;

export const deleteExecution = async (api: ApiClient, id: string) =>
  (await api.request<{ deleted: true }>('DELETE', `/api/v1/workflows/executions/${id}`)).data;
