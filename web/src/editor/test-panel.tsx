/**
 * @module editor/test-panel
 * "Test": runs `/test` on the saved working copy with an editable trigger payload (prefilled for
 * the trigger's type) and variables, plus the pinned outputs as `mock_outputs`. The trace is
 * painted on the canvas; clicking a node shows its input, output and logs.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import { testWorkflow } from '../api/workflows-api.ts';
import { type EditorStore, useEditor } from './editor-store.ts';
import { formatSeconds } from './node-card.tsx';
import { samplePayload } from './template-variables.ts';
import { mockOutputs } from './test-pins.ts';
import { saveNow } from './use-autosave.ts';

const JsonEditor = lazy(() => import('./json-editor.tsx'));

function parseObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = text.trim() ? JSON.parse(text) : {};
  } catch (error) {
    throw new Error(`${what} is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

export function TestPanel({ store, api, workflowId }: { store: EditorStore; api: ApiClient; workflowId: string }) {
  const doc = useEditor(store, (s) => s.history.present);
  const result = useEditor(store, (s) => s.test);
  const pins = useEditor(store, (s) => s.pins);
  const triggers = useMemo(
    () => Object.entries(doc.nodes).filter(([, n]) => n.node_type.startsWith('trigger_')),
    [doc.nodes],
  );
  const [triggerId, setTriggerId] = useState(triggers[0]?.[0] ?? '');
  const triggerType = doc.nodes[triggerId]?.node_type;
  const [payloads, setPayloads] = useState<Record<string, string>>({});
  const payload = payloads[triggerId] ?? JSON.stringify(samplePayload(triggerType), null, 2);
  const [variables, setVariables] = useState('{}');
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const pinned = mockOutputs(pins, Object.keys(doc.nodes));

  async function run() {
    setError(null);
    setRunning(true);
    try {
      const trigger_data = parseObject(payload, 'The trigger payload');
      const vars = parseObject(variables, 'The variables');
      if (!(await saveNow(store))) throw new Error('The working copy could not be saved; the test runs the saved copy');
      const answer = await testWorkflow(api, workflowId, {
        ...(triggerId ? { trigger_node_id: triggerId } : {}),
        trigger_data,
        variables: vars,
        ...(Object.keys(pinned).length ? { mock_outputs: pinned } : {}),
      });
      store.set((s) => ({ ...s, test: answer }));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setRunning(false);
    }
  }

  return (
    <aside className="side-panel test-panel" aria-label="Test run">
      <h2>Test run</h2>
      <p className="muted small">
        Runs the working copy now. Messages and calls are recorded, not sent. Pinned outputs (
        {Object.keys(pinned).length}) replace their nodes here only.
      </p>
      {triggers.length > 1 && (
        <label>
          Trigger{' '}
          <select value={triggerId} onChange={(event) => setTriggerId(event.target.value)}>
            {triggers.map(([id, n]) => (
              <option key={id} value={id}>
                {n.label || id} ({n.node_type})
              </option>
            ))}
          </select>
        </label>
      )}
      <Suspense fallback={<p className="muted">Loading…</p>}>
        <JsonEditor
          id="test-payload"
          label={`Trigger payload${triggerType ? ` (${triggerType})` : ''}`}
          value={payload}
          onChange={(text) => setPayloads((p) => ({ ...p, [triggerId]: text }))}
        />
        <JsonEditor id="test-variables" label="Variables" value={variables} onChange={setVariables} />
      </Suspense>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="primary" onClick={run} disabled={running}>
        {running ? 'Running…' : 'Run test'}
      </button>
      {result && (
        <section aria-label="Test result" className="test-result">
          <h3>
            {result.summary.passed ? 'Passed' : 'Failed'} in {formatSeconds(result.execution_time_seconds)}
          </h3>
          <p className="muted small">
            {result.summary.nodes_executed} ran, {result.summary.nodes_failed} failed, {result.summary.nodes_skipped}{' '}
            skipped
          </p>
          {result.error_message && <p className="error">{result.error_message}</p>}
          <ol className="trace">
            {result.trace.map((entry) => (
              <li key={entry.node_id}>
                <button
                  type="button"
                  className="link"
                  onClick={() => store.set((s) => ({ ...s, selection: new Set([entry.node_id]) }))}
                >
                  {doc.nodes[entry.node_id]?.label || entry.node_id}
                </button>{' '}
                <span className={`badge badge-${entry.status}`}>{entry.status}</span>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => store.set((s) => ({ ...s, test: null }))}>
            Clear the trace
          </button>
        </section>
      )}
    </aside>
  );
}
