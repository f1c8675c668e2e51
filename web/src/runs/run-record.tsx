/**
 * @module runs/run-record
 * The rest of a run's record: outbox, final output, final variables and metrics.
 */
import type { Execution } from '../api/runs-api.ts';
import { JsonTree } from './json-tree.tsx';
import { formatDuration, formatTime } from './status-badge.tsx';

export function Outbox({ execution }: { execution: Execution }) {
  if (execution.outbox.length === 0) return <p className="muted">This run produced no messages or calls.</p>;
  return (
    <table className="list outbox">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Kind</th>
          <th scope="col">Delivery</th>
          <th scope="col">At</th>
          <th scope="col">Payload</th>
        </tr>
      </thead>
      <tbody>
        {execution.outbox.map((entry, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the outbox is append-only
          <tr key={i}>
            <td>
              <code>{entry.node_id}</code>
            </td>
            <td>{entry.kind}</td>
            <td>
              {entry.simulated ? 'simulated (test)' : entry.delivered ? 'delivered' : 'outbox only'}
              {entry.status !== undefined && ` · HTTP ${entry.status}`}
              {entry.error && <span className="error"> · {entry.error}</span>}
            </td>
            <td>{formatTime(entry.at)}</td>
            <td>
              <JsonTree value={entry.payload} label={`Payload from ${entry.node_id}`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Metrics({ execution }: { execution: Execution }) {
  const m = execution.metrics;
  if (!m) return null;
  const slowest = Object.entries(m.node_durations_ms)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  return (
    <dl className="facts metrics">
      <dt>Queue wait</dt>
      <dd>{m.queue_wait_ms === null ? '–' : formatDuration(m.queue_wait_ms / 1000)}</dd>
      <dt>Total</dt>
      <dd>{m.total_duration_ms === null ? '–' : formatDuration(m.total_duration_ms / 1000)}</dd>
      <dt>Nodes executed</dt>
      <dd>{m.nodes_executed}</dd>
      <dt>Failed</dt>
      <dd>{m.nodes_failed}</dd>
      <dt>Skipped</dt>
      <dd>{m.nodes_skipped}</dd>
      <dt>Retries</dt>
      <dd>{m.retries}</dd>
      <dt>Slowest nodes</dt>
      <dd>{slowest.length === 0 ? '–' : slowest.map(([id, ms]) => `${id} ${formatDuration(ms / 1000)}`).join(', ')}</dd>
    </dl>
  );
}

export function FinalData({ execution }: { execution: Execution }) {
  return (
    <div className="final-data">
      <div>
        <h3>Final output</h3>
        <JsonTree value={execution.final_output} label="Final output" />
      </div>
      <div>
        <h3>Variables</h3>
        <JsonTree value={execution.final_variables} label="Final variables" />
      </div>
    </div>
  );
}
