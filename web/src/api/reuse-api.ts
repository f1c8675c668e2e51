/**
 * @module api/reuse-api
 * The reuse routes of `/api/v1` as typed functions: credentials, export and import, templates,
 * rerun and delete of an execution. Bodies and answers are the static types of the routes' own
 * TypeBox schemas (type imports only); the export document, which its route declares as an open
 * object, is core/portable's PortableWorkflow.
 */
import type { Static } from '@sinclair/typebox';
import type { PortableWorkflow } from '../../../src/core/portable.ts';
import type {
  CreateBody as CreateCredentialBody,
  CredentialSchema,
  DeletedCredentialSchema,
  UpdateBody as UpdateCredentialBody,
} from '../../../src/http/routes/credentials.ts';
import type { ImportBody } from '../../../src/http/routes/reuse.ts';
import type {
  DeletedExecutionSchema,
  ImportedSchema,
  RerunSchema,
  TemplateSchema,
} from '../../../src/http/routes/reuse-answers.ts';
import type { ApiClient } from './client.ts';

export type { PortableWorkflow };
export type Credential = Static<typeof CredentialSchema>;

/** The create and update bodies, as the credential routes take them. */
export type NewCredential = Static<typeof CreateCredentialBody>;
export type CredentialUpdate = Static<typeof UpdateCredentialBody>;
export type DeletedCredential = Static<typeof DeletedCredentialSchema>;

export type ImportRequest = Static<typeof ImportBody>;

export type ImportAnswer = Static<typeof ImportedSchema>;
export type Template = Static<typeof TemplateSchema>;
/** The started run (as the execute answer has it) and the run it repeats. */
export type RerunAnswer = Static<typeof RerunSchema>;
export type DeletedExecution = Static<typeof DeletedExecutionSchema>;

export const listCredentials = (api: ApiClient, entityId: number, page = 1) =>
  api.request<Credential[]>('GET', '/api/v1/credentials', { query: { entity_id: entityId, page, per_page: 100 } });

export const createCredential = async (api: ApiClient, body: NewCredential) =>
  (await api.request<Credential>('POST', '/api/v1/credentials', { body })).data;

export const updateCredential = async (api: ApiClient, id: string, body: CredentialUpdate) =>
  (await api.request<Credential>('PUT', `/api/v1/credentials/${id}`, { body })).data;

export const deleteCredential = async (api: ApiClient, id: string) =>
  (await api.request<DeletedCredential>('DELETE', `/api/v1/credentials/${id}`)).data;

export const exportWorkflow = async (api: ApiClient, id: string) =>
  (await api.request<PortableWorkflow>('GET', `/api/v1/workflows/${id}/export`)).data;

export const importWorkflow = async (api: ApiClient, body: ImportRequest) =>
  (await api.request<ImportAnswer>('POST', '/api/v1/workflows/import', { body })).data;

export const listTemplates = async (api: ApiClient) =>
  (await api.request<Template[]>('GET', '/api/v1/workflows/templates')).data;

export const rerunExecution = async (api: ApiClient, id: string) =>
  (await api.request<RerunAnswer>('POST', `/api/v1/workflows/executions/${id}/rerun`, { body: {} })).data;

export const deleteExecution = async (api: ApiClient, id: string) =>
  (await api.request<DeletedExecution>('DELETE', `/api/v1/workflows/executions/${id}`)).data;
