/**
 * @module panels/access-panel
 * Who may do what with a workflow: grants (user, role or entity, and the five flags) added,
 * changed and removed by holders of can_manage_permissions, and the audit log (who, what, when,
 * from which IP). Whether the caller may manage is the API's answer, not a rule retyped here:
 * a 403 PERMISSION_DENIED on the grants shows a read-only note instead of the controls.
 */
import './panels.css';
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import { deleteGrant, listGrants, putGrant } from '../api/runs-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { asApiError, useLoad } from '../runs/use-load.ts';
import { useSession } from '../shell/session-context.tsx';
import { AuditLog } from './audit-log.tsx';
import { GrantForm } from './grant-form.tsx';
import { type GrantFlags, grantKey, type PendingGrants, settledOut, withChange, withPending } from './grant-list.ts';
import { GrantsTable } from './grants-table.tsx';

function ReadOnlyNote({ refusal }: { refusal: ApiError }) {
  return (
    <p className="read-only-note" data-testid="access-read-only">
      <strong>You can view this workflow but not manage its access.</strong> Adding, changing or removing grants needs
      can_manage_permissions; the owner or someone who holds it can give it to you.{' '}
      <span className="muted">
        (The API answered <code>{refusal.code}</code> {refusal.message}.)
      </span>
    </p>
  );
}

export function AccessPanel({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const grants = useLoad(() => listGrants(api, workflowId), [workflowId]);
  const [error, setError] = useState<ApiError | null>(null);
  const [changes, setChanges] = useState(0);
  // A flag change on its way shows at once; the list the server answers after its grant's last
  // change replaces it.
  const [pending, setPending] = useState<PendingGrants>(new Map());
  // One grant's changes go out in order: each PUT carries all five flags, so an earlier one
  // answered late must not undo a later one.
  const inFlight = useRef(new Map<string, Promise<void>>());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new answer (even the same grants) ends the wait
  useEffect(
    () => setPending((shown) => settledOut(shown, new Set(inFlight.current.keys()))),
    [grants.data, grants.error],
  );
  const readOnly = grants.error?.code === 'PERMISSION_DENIED';

  async function act(work: () => Promise<unknown>) {
    try {
      await work();
      setError(null);
    } catch (failure) {
      setError(asApiError(failure));
    }
    // Reloaded either way: a refused change may mean the list (or the caller's right) changed.
    grants.reload();
    setChanges((n) => n + 1);
  }

  function changeGrant(grant: GrantFlags) {
    const key = grantKey(grant);
    setPending((shown) => withChange(shown, grant));
    const mine = (inFlight.current.get(key) ?? Promise.resolve()).then(() =>
      act(() => putGrant(api, workflowId, grant)),
    );
    inFlight.current.set(key, mine);
    void mine.then(() => {
      if (inFlight.current.get(key) === mine) inFlight.current.delete(key);
    });
  }

  return (
    <section aria-label="Access">
      <h2>Access</h2>
      <p className="muted">The owner (who created the workflow) always holds all five permissions.</p>
      {readOnly && grants.error ? (
        <ReadOnlyNote refusal={grants.error} />
      ) : (
        <ApiErrorNotice error={grants.error} title="The grants could not be loaded" />
      )}
      <ApiErrorNotice error={error} title="The change was refused" />
      {/* useLoad keeps the last data through a failed reload: the controls go with the right. */}
      {grants.data && !grants.error && (
        <>
          <GrantsTable
            grants={withPending(grants.data, pending)}
            onChange={changeGrant}
            onRemove={(grant: GrantFlags) =>
              act(() => deleteGrant(api, workflowId, grant.permission_type, grant.target_id))
            }
          />
          <GrantForm onSave={(grant) => act(() => putGrant(api, workflowId, grant))} />
        </>
      )}
      <AuditLog workflowId={workflowId} changes={changes} />
    </section>
  );
}
