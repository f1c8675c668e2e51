/**
 * @module editor/called-workflows
 * The names of the workflows a document's action_workflow nodes call, for their canvas cards:
 * read from the entity's list (the one the workflow picker shows), and any id not on its first
 * page asked for by id. An id the API does not know, does not show this user, or that belongs to
 * another entity is "missing" (a run would fail on it, as it would on an archived or never
 * published one); one it could not be asked about (network) stays unresolved: the card shows the id.
 * The editor's canvas and the run page's read the same names.
 */
import { createContext, useContext, useMemo } from 'react';
import type { ApiClient } from '../api/client.ts';
import type { WorkflowNode, WorkflowStatus } from '../api/types.ts';
import { getWorkflow, listWorkflows } from '../api/workflows-api.ts';
import { useLoad } from '../runs/use-load.ts';
import { useSession } from '../shell/session-context.tsx';

export type CalledWorkflow = { readonly name: string; readonly status: WorkflowStatus } | 'missing';
export type CalledWorkflows = ReadonlyMap<string, CalledWorkflow>;

/** The same page the picker reads. */
const PAGE = 100;

/** The id an action_workflow node calls, if it names one. */
export function calledId(node: WorkflowNode): string | undefined {
  if (node.node_type !== 'action_workflow') return undefined;
  const id = (node.config as { workflow_id?: unknown } | undefined)?.workflow_id;
  return typeof id === 'string' && id ? id : undefined;
}

/** Every called id once, sorted, so an unchanged set of calls gives the same key. */
export function calledWorkflowIds(nodes: Readonly<Record<string, WorkflowNode>>): string[] {
  const ids = new Set<string>();
  for (const node of Object.values(nodes)) {
    const id = calledId(node);
    if (id) ids.add(id);
  }
  return [...ids].sort();
}

export async function resolveCalledWorkflows(
  api: ApiClient,
  entityId: number,
  ids: readonly string[],
): Promise<CalledWorkflows> {
  const found = new Map<string, CalledWorkflow>();
  if (ids.length === 0) return found;
  try {
    const listed = await listWorkflows(api, { entity_id: entityId, per_page: PAGE });
    for (const w of listed.data)
      if (ids.includes(w.workflow_id)) found.set(w.workflow_id, { name: w.name, status: w.status });
  } catch {
    // Asked one by one below.
  }
  await Promise.all(
    ids
      .filter((id) => !found.has(id))
      .map(async (id) => {
        try {
          const w = await getWorkflow(api, id);
          found.set(id, String(w.entity_id) === String(entityId) ? { name: w.name, status: w.status } : 'missing');
        } catch (error) {
          const status = (error as { status?: number }).status;
          if (status === 403 || status === 404) found.set(id, 'missing');
        }
      }),
  );
  return found;
}

/** What a card says about the workflow it calls, and whether a run would fail on it. */
export function calledWorkflowLabel(
  id: string | undefined,
  known: CalledWorkflows | undefined,
): { readonly text: string; readonly warn: boolean } {
  if (!id) return { text: 'calls: no workflow chosen', warn: true };
  const called = known?.get(id);
  if (called === 'missing') return { text: `calls: unknown workflow ${id.slice(0, 8)}`, warn: true };
  if (!called) return { text: `calls: ${id.slice(0, 8)}…`, warn: false };
  if (called.status === 'archived') return { text: `calls: ${called.name} (archived)`, warn: true };
  if (called.status === 'draft') return { text: `calls: ${called.name} (not published)`, warn: true };
  return { text: `calls: ${called.name}`, warn: false };
}

export const CalledWorkflowsContext = createContext<CalledWorkflows | undefined>(undefined);

export const useCalledWorkflows = () => useContext(CalledWorkflowsContext);

/**
 * Loads the names for a document's calls; again only when the set of called ids changes. Without
 * the entity (not known yet, or not readable) nothing is asked: the cards show the ids.
 */
export function useCalledWorkflowNames(
  entityId: number | undefined,
  nodes: Readonly<Record<string, WorkflowNode>>,
): CalledWorkflows | undefined {
  const { api } = useSession();
  const key = useMemo(() => calledWorkflowIds(nodes).join(','), [nodes]);
  const loaded = useLoad(
    async () => (entityId === undefined ? undefined : resolveCalledWorkflows(api, entityId, key ? key.split(',') : [])),
    [api, entityId, key],
  );
  return loaded.data;
}
