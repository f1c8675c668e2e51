/**
 * @module editor/editor-page
 * The editor for one workflow (deep link /workflows/:id): loads it and the node catalog, then
 * hosts the canvas, palette, side panels and dialogs over one editor store.
 */
import { useEffect, useState } from 'react';
import '@xyflow/react/dist/style.css';
import { ApiError } from '../api/client.ts';
import type { NodeTypeInfo, WorkflowView } from '../api/types.ts';
import { getWorkflow, listNodeTypes } from '../api/workflows-api.ts';
import { useSession } from '../shell/session-context.tsx';
import { createEditorStore, type EditorStore, initialEditorState } from './editor-store.ts';
import { EditorWorkspace } from './editor-workspace.tsx';
import { type Catalog, createCatalog } from './node-catalog.ts';
import { loadPins } from './test-pins.ts';

export interface LoadedWorkflow {
  readonly workflow: WorkflowView;
  readonly types: readonly NodeTypeInfo[];
  readonly catalog: Catalog;
  readonly store: EditorStore;
}

export function storeFor(workflow: WorkflowView): EditorStore {
  const doc = { nodes: workflow.nodes, connections: workflow.connections };
  return createEditorStore({
    ...initialEditorState(doc, workflow.version),
    hasUnpublishedChanges: workflow.has_unpublished_changes,
    publishedVersion: workflow.published_version,
    pins: loadPins(workflow.workflow_id),
  });
}

export default function EditorPage({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const [loaded, setLoaded] = useState<LoadedWorkflow | null>(null);
  const [error, setError] = useState<Error | null>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all([getWorkflow(api, workflowId), listNodeTypes(api)]).then(
      ([workflow, types]) => {
        if (!cancelled) setLoaded({ workflow, types, catalog: createCatalog(types), store: storeFor(workflow) });
      },
      (failure: unknown) => {
        if (cancelled) return;
        setError(failure as Error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, workflowId]);

  if (error)
    return (
      <main className="page">
        <h1>Workflow</h1>
        <p className="error" role="alert">
          {error instanceof ApiError && error.status === 404 && 'This workflow does not exist, or you cannot see it. '}
          {/* The API's code and message, as every failed request shows them. */}
          {error instanceof ApiError && <code className="error-code">{error.code}</code>} {error.message}
        </p>
      </main>
    );
  if (!loaded) return <p className="loading">Loading the workflow…</p>;
  return <EditorWorkspace key={loaded.workflow.version} loaded={loaded} onReloaded={setLoaded} />;
}
