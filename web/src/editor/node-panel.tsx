/**
 * @module editor/node-panel
 * The selected node: label, enabled, retry and timeout, its config form (loaded on first use),
 * "Connect to…", the server's validation messages, and its input, output and logs from the last
 * test run with a pin for the output.
 */
import { lazy, Suspense } from 'react';
import type { RetryPolicy, WorkflowNode } from '../api/types.ts';
import { ConnectMenu } from './connect-menu.tsx';
import { type EditorStore, edit, shownDocument, useEditor } from './editor-store.ts';
import type { Catalog } from './node-catalog.ts';
import { TestOutput } from './test-output.tsx';
import { nodeIssues, shortMessage } from './validation-issues.ts';
import { setNodeField } from './workflow-document.ts';

const ConfigForm = lazy(() => import('./config-form.tsx'));

function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function NodePanel({
  store,
  catalog,
  nodeId,
  workflowId,
  entityId,
  globals,
}: {
  store: EditorStore;
  catalog: Catalog;
  nodeId: string;
  workflowId: string;
  entityId: number;
  globals: Readonly<Record<string, unknown>>;
}) {
  // Only this node: dragging another node (a new document every frame) does not redraw the panel.
  const node = useEditor(store, (s) => shownDocument(s).nodes[nodeId]);
  const readOnly = useEditor(store, (s) => s.snapshot !== null);
  const validation = useEditor(store, (s) => s.validation);
  if (!node) return null;
  const info = catalog.get(node.node_type);
  const issues = readOnly ? [] : nodeIssues(validation, nodeId);
  const set = <K extends keyof WorkflowNode>(field: K, value: WorkflowNode[K] | undefined, group = true) =>
    edit(store, (d) => setNodeField(d, nodeId, field, value), group ? { group: `${nodeId}:${field}` } : undefined);
  const setRetry = (field: keyof RetryPolicy, text: string) => {
    const value = numberOrUndefined(text);
    const retry: Record<string, number> = { ...(node.retry ?? {}) };
    if (value === undefined) delete retry[field];
    else retry[field] = value;
    set(
      'retry',
      retry.max_attempts === undefined && Object.keys(retry).length === 0 ? undefined : (retry as RetryPolicy),
    );
  };

  return (
    <aside className="node-panel" aria-label={`Node settings: ${node.label || nodeId}`}>
      <header className="panel-head">
        <h2>{node.label || nodeId}</h2>
        <div className="muted">
          <code>{node.node_type}</code> · id <code>{nodeId}</code>
        </div>
        {info?.description && <p className="muted small">{info.description}</p>}
      </header>
      {issues.length > 0 && (
        <div className="issues" role="alert" aria-label="Validation errors">
          <strong>
            {issues.length} validation {issues.length === 1 ? 'error' : 'errors'}
          </strong>
          <ul>
            {issues.map((message) => (
              <li key={message}>{shortMessage(message)}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset className="node-settings" disabled={readOnly}>
        <label htmlFor="node-label">Label</label>
        <input
          id="node-label"
          value={node.label ?? ''}
          maxLength={200}
          onChange={(event) => set('label', event.target.value || undefined)}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={node.enabled !== false}
            onChange={(event) => set('enabled', event.target.checked ? undefined : false, false)}
          />{' '}
          Enabled (a disabled node passes its input through)
        </label>
        <div className="grid-3">
          <label>
            Retry attempts
            <input
              type="number"
              min={1}
              max={10}
              value={node.retry?.max_attempts ?? ''}
              onChange={(event) => setRetry('max_attempts', event.target.value)}
            />
          </label>
          <label>
            Backoff (ms)
            <input
              type="number"
              min={0}
              value={node.retry?.backoff_ms ?? ''}
              onChange={(event) => setRetry('backoff_ms', event.target.value)}
            />
          </label>
          <label>
            Timeout (s)
            <input
              type="number"
              min={0}
              step="any"
              value={node.timeout_seconds ?? ''}
              onChange={(event) => set('timeout_seconds', numberOrUndefined(event.target.value))}
            />
          </label>
        </div>
      </fieldset>
      <section aria-label="Configuration" className="config-section">
        <h3>Configuration</h3>
        {info ? (
          <Suspense fallback={<p className="muted">Loading the form…</p>}>
            <ConfigForm
              key={nodeId}
              store={store}
              nodeId={nodeId}
              schema={info.config_schema}
              readOnly={readOnly}
              issues={issues}
              globals={globals}
              workflowId={workflowId}
              entityId={entityId}
            />
          </Suspense>
        ) : (
          <p className="error">Unknown node type {node.node_type}</p>
        )}
      </section>
      {!readOnly && <ConnectMenu store={store} catalog={catalog} nodeId={nodeId} />}
      <TestOutput store={store} nodeId={nodeId} workflowId={workflowId} />
    </aside>
  );
}
