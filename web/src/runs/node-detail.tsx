/**
 * @module runs/node-detail
 * The selected node of a run: status, timing, attempts and runs, its error, input, output and logs.
 */
import type { NodeState } from '../api/runs-api.ts';
import { JsonTree } from './json-tree.tsx';
import { formatTime, StatusBadge } from './status-badge.tsx';

export function NodeDetail({ nodeId, state, label }: { nodeId: string; state: NodeState | undefined; label: string }) {
  if (!state) return <p className="muted">Node {label} has no record in this run.</p>;
  return (
    <section className="node-detail" aria-label={`Node ${label}`}>
      <h3>
        {label} <StatusBadge status={state.status} />
      </h3>
      <dl className="facts">
        <dt>Node id</dt>
        <dd>
          <code>{nodeId}</code>
        </dd>
        <dt>Type</dt>
        <dd>{state.node_type ?? '–'}</dd>
        <dt>Started</dt>
        <dd>{formatTime(state.started_at)}</dd>
        <dt>Completed</dt>
        <dd>{formatTime(state.completed_at)}</dd>
        <dt>Runs</dt>
        <dd>{state.runs ?? (state.started_at ? 1 : 0)}</dd>
        <dt>Attempts (last run)</dt>
        <dd>{state.attempts ?? 0}</dd>
      </dl>
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      <h4>Input</h4>
      <JsonTree value={state.input_data} label={`Input of ${label}`} />
      <h4>Output</h4>
      <JsonTree value={state.output_data} label={`Output of ${label}`} />
      <h4>Logs</h4>
      {state.logs?.length ? (
        <ol className="logs">
          {state.logs.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: log lines are an append-only list
            <li key={i}>{line}</li>
          ))}
        </ol>
      ) : (
        <p className="muted">No log lines.</p>
      )}
    </section>
  );
}
