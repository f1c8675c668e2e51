/**
 * @module services/workflow-changes
 * What the workflow use cases take and what counts as a change: the create and update inputs,
 * the record a create stores, connection ids, the fields an edit may change, the snapshot a publish
 * freezes and the "equal as stored" comparison that decides whether an edit or publish happens.
 * Pure, apart from services/workflows.ts, which reads and writes the store.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Connection, WorkflowNode, WorkflowSettings } from '../core/workflow.ts';
import type { WorkflowRecord, WorkflowSnapshot } from '../store/workflows-repository.ts';

export interface CreateWorkflowInput {
  readonly name: string;
  readonly description?: string;
  readonly entity_id: number;
  readonly community_id?: number | null;
  readonly license_key?: string;
  readonly nodes?: Record<string, WorkflowNode>;
  readonly connections?: Connection[];
  readonly global_variables?: Record<string, unknown>;
  readonly settings?: WorkflowSettings;
}

export type UpdateWorkflowInput = Partial<Omit<CreateWorkflowInput, 'entity_id' | 'license_key'>> & {
  /** Write only if the stored `version` is this one (PRODUCT.md §3, concurrent edits). */
  readonly expected_version?: number;
};

/** Gives each connection sent without an id a stable one, so messages and edits can name it. */
export function withConnectionIds(connections: readonly Connection[]): Connection[] {
  const taken = new Set(connections.map((c) => c.connection_id).filter(Boolean));
  let next = 1;
  return connections.map((connection) => {
    if (connection.connection_id) return connection;
    while (taken.has(`conn_${next}`)) next++;
    taken.add(`conn_${next}`);
    return { connection_id: `conn_${next}`, ...connection };
  });
}

/** What a publish freezes: the working definition. */
export function snapshotOf(workflow: WorkflowRecord): WorkflowSnapshot {
  return {
    name: workflow.name,
    description: workflow.description,
    nodes: workflow.nodes,
    connections: workflow.connections,
    global_variables: workflow.global_variables,
    settings: workflow.settings,
  };
}

/** Equal as stored: compared after a JSON round trip, so an `undefined` field equals an absent one. */
export function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

export const EDITABLE_FIELDS = [
  'name',
  'description',
  'community_id',
  'nodes',
  'connections',
  'global_variables',
  'settings',
] as const;

/** The record `create` stores: a draft at version 1, never published. */
export function newWorkflow(input: CreateWorkflowInput, createdBy: string, at: string): WorkflowRecord {
  return {
    workflow_id: randomUUID(),
    name: input.name,
    description: input.description ?? '',
    entity_id: input.entity_id,
    community_id: input.community_id ?? null,
    created_by: createdBy,
    status: 'draft',
    nodes: input.nodes ?? {},
    connections: withConnectionIds(input.connections ?? []),
    global_variables: input.global_variables ?? {},
    settings: input.settings ?? {},
    version: 1,
    published_version: null,
    has_unpublished_changes: true,
    created_at: at,
    updated_at: at,
    published_at: null,
    archived_at: null,
  };
}
