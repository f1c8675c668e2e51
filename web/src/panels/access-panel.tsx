/**
 * @module panels/access-panel
 * Who may do what with a workflow: grants (user, role or entity, and the five flags) added,
 * changed and removed by holders of can_manage_permissions, and the audit log (who, what, when,
 * from which IP). Callers without the flag see the API's refusal instead of the grants.
 */
import { type FormEvent, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import { deleteGrant, type Grant, listAudit, listGrants, PERMISSION_FLAGS, putGrant } from '../api/runs-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { formatTime } from '../runs/status-badge.tsx';
import { asApiError, useLoad } from '../runs/use-load.ts';
import { useSession } from '../shell/session-context.tsx';

const NO_FLAGS = Object.fromEntries(PERMISSION_FLAGS.map((f) => [f, false])) as Record<
  (typeof PERMISSION_FLAGS)[number],
  boolean
>;

function flagLabel(flag: string): string {
  return flag.replace(/^can_/, '').replace(/_/g, ' ');
}

function GrantForm({ onSave }: { onSave(grant: Grant): void }) {
  const [type, setType] = useState<Grant['permission_type']>('user');
  const [target, setTarget] = useState('');
  const [flags, setFlags] = useState({ ...NO_FLAGS, can_view: true });
  function submit(event: FormEvent) {
    event.preventDefault();
    onSave({ permission_type: type, target_id: target.trim(), ...flags });
    setTarget('');
  }
  return (
    <form className="grant-form row" onSubmit={submit} aria-label="Add a grant">
      <label>
        Type{' '}
        <select value={type} onChange={(e) => setType(e.target.value as Grant['permission_type'])}>
          <option value="user">user</option>
          <option value="role">role</option>
          <option value="entity">entity</option>
        </select>
      </label>
      <label>
        Target id <input value={target} onChange={(e) => setTarget(e.target.value)} required />
      </label>
      {PERMISSION_FLAGS.map((flag) => (
        <label key={flag}>
          <input
            type="checkbox"
            checked={flags[flag]}
            onChange={(e) => setFlags({ ...flags, [flag]: e.target.checked })}
          />{' '}
          {flagLabel(flag)}
        </label>
      ))}
      <button type="submit" className="primary" disabled={!target.trim()}>
        Add grant
      </button>
    </form>
  );
}

export function AccessPanel({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const grants = useLoad(() => listGrants(api, workflowId), [workflowId]);
  const audit = useLoad(() => listAudit(api, workflowId), [workflowId]);
  const [error, setError] = useState<ApiError | null>(null);

  async function act(work: () => Promise<unknown>) {
    try {
      await work();
      setError(null);
      grants.reload();
      audit.reload();
    } catch (failure) {
      setError(asApiError(failure));
    }
  }

  return (
    <section aria-label="Access">
      <h2>Access</h2>
      <ApiErrorNotice error={grants.error} title="Grants" />
      <ApiErrorNotice error={error} title="The change was refused" />
      {grants.data && (
        <>
          <table className="list grants">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Target</th>
                {PERMISSION_FLAGS.map((flag) => (
                  <th scope="col" key={flag}>
                    {flagLabel(flag)}
                  </th>
                ))}
                <th scope="col">Remove</th>
              </tr>
            </thead>
            <tbody>
              {grants.data.map((grant) => (
                <tr key={`${grant.permission_type}:${grant.target_id}`}>
                  <td>{grant.permission_type}</td>
                  <td>
                    <code>{grant.target_id}</code>
                  </td>
                  {PERMISSION_FLAGS.map((flag) => (
                    <td key={flag}>
                      <input
                        type="checkbox"
                        aria-label={`${flagLabel(flag)} for ${grant.permission_type} ${grant.target_id}`}
                        checked={grant[flag]}
                        onChange={(e) =>
                          act(() => putGrant(api, workflowId, { ...pick(grant), [flag]: e.target.checked }))
                        }
                      />
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => act(() => deleteGrant(api, workflowId, grant.permission_type, grant.target_id))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
              {grants.data.length === 0 && (
                <tr>
                  <td colSpan={8} className="muted">
                    Only the owner has access.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          <GrantForm onSave={(grant) => act(() => putGrant(api, workflowId, grant))} />
        </>
      )}
      <h3>Audit log</h3>
      <ApiErrorNotice error={audit.error} title="Audit log" />
      <table className="list audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {(audit.data?.data ?? []).map((entry, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: newest first, stable within a page
            <tr key={i}>
              <td>{formatTime(entry.created_at)}</td>
              <td>{entry.actor_username ? `${entry.actor_username} (${entry.actor_id})` : entry.actor_id}</td>
              <td>{entry.action}</td>
              <td>{entry.client_ip ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The fields PUT accepts, without what the list adds (timestamps, granted_by). */
function pick(grant: Grant): Grant {
  const out: Record<string, unknown> = { permission_type: grant.permission_type, target_id: grant.target_id };
  for (const flag of PERMISSION_FLAGS) out[flag] = grant[flag];
  return out as Grant;
}
