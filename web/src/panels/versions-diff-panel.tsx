/**
 * @module panels/versions-diff-panel
 * Compare any two published versions, or a version with the working copy: nodes added, removed
 * and changed field by field, and connections (version-diff.ts).
 */
import { useState } from 'react';
import { getVersion, getWorkflow, listVersions } from '../api/workflows-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { useLoad } from '../runs/use-load.ts';
import { useSession } from '../shell/session-context.tsx';
import { type DiffableDefinition, diffVersions, showValue } from './version-diff.ts';

const WORKING = 'working';

export function VersionsDiffPanel({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const versions = useLoad(async () => (await listVersions(api, workflowId)).data, [workflowId]);
  const numbers = (versions.data ?? []).map((v) => v.version).sort((a, b) => a - b);
  const [left, setLeft] = useState<string>('');
  const [right, setRight] = useState<string>(WORKING);
  const from = left || (numbers.length ? String(numbers[numbers.length - 1]) : '');
  const load = (which: string): Promise<DiffableDefinition> =>
    which === WORKING ? getWorkflow(api, workflowId) : getVersion(api, workflowId, Number(which));
  const diff = useLoad(async () => {
    if (!from) return null;
    const [a, b] = await Promise.all([load(from), load(right)]);
    return diffVersions(a, b);
  }, [workflowId, from, right]);

  const options = [
    ...numbers.map((n) => ({ value: String(n), label: `version ${n}` })),
    { value: WORKING, label: 'working copy' },
  ];
  return (
    <section aria-label="Versions">
      <h2>Versions</h2>
      <ApiErrorNotice error={versions.error ?? diff.error} title="Versions" />
      {numbers.length === 0 ? (
        <p className="muted">Nothing published yet.</p>
      ) : (
        <div className="filters">
          <label>
            From{' '}
            <select value={from} onChange={(e) => setLeft(e.target.value)}>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            To{' '}
            <select value={right} onChange={(e) => setRight(e.target.value)}>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {diff.data?.identical && <p>No differences.</p>}
      {diff.data && !diff.data.identical && (
        <div className="version-diff">
          {diff.data.added.length > 0 && (
            <p>
              <strong>Nodes added:</strong> {diff.data.added.join(', ')}
            </p>
          )}
          {diff.data.removed.length > 0 && (
            <p>
              <strong>Nodes removed:</strong> {diff.data.removed.join(', ')}
            </p>
          )}
          {diff.data.changed.length > 0 && (
            <table className="list diff-fields">
              <caption>Changed nodes</caption>
              <thead>
                <tr>
                  <th scope="col">Node</th>
                  <th scope="col">Field</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {diff.data.changed.flatMap((node) =>
                  node.fields.map((field) => (
                    <tr key={`${node.nodeId}.${field.path}`}>
                      <td>
                        <code>{node.nodeId}</code>
                      </td>
                      <td>
                        <code>{field.path}</code>
                      </td>
                      <td className="diff-before">{showValue(field.before)}</td>
                      <td className="diff-after">{showValue(field.after)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          )}
          {(diff.data.connectionsAdded.length > 0 || diff.data.connectionsRemoved.length > 0) && (
            <ul className="diff-connections">
              {diff.data.connectionsAdded.map((c) => (
                <li key={`+${c}`}>added connection {c}</li>
              ))}
              {diff.data.connectionsRemoved.map((c) => (
                <li key={`-${c}`}>removed connection {c}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
