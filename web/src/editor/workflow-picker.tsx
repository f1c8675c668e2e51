/**
 * @module editor/workflow-picker
 * Picks another workflow of the same entity by name (a sub-workflow to call, the error
 * workflow): the entity's workflows that are not archived, without the one being edited; an id
 * that is not among them (deleted, or never resolved on import) shows as such.
 */
import { useState } from 'react';
import { listWorkflows } from '../api/workflows-api.ts';
import { useLoad } from '../runs/use-load.ts';
import { useSession } from '../shell/session-context.tsx';

/** The API's page limit; past it the picker asks for a search. */
const PAGE = 100;

export function WorkflowPicker({
  id,
  entityId,
  excludeId,
  value,
  onChange,
  disabled,
  emptyLabel = '— choose a workflow —',
}: {
  id: string;
  entityId: number;
  excludeId: string;
  value: string | undefined;
  onChange: (workflowId: string | undefined) => void;
  disabled?: boolean;
  emptyLabel?: string;
}) {
  const { api } = useSession();
  const [search, setSearch] = useState('');
  const list = useLoad(
    () => listWorkflows(api, { entity_id: entityId, search: search || undefined, per_page: PAGE }),
    [api, entityId, search],
  );
  const choices = (list.data?.data ?? []).filter((w) => w.workflow_id !== excludeId && w.status !== 'archived');
  const total = list.data?.meta?.pagination?.total ?? 0;
  const known = !value || choices.some((w) => w.workflow_id === value);
  return (
    <span className="workflow-picker">
      <select
        id={id}
        value={value ?? ''}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value || undefined)}
      >
        <option value="">{list.loading && !list.data ? 'Loading workflows…' : emptyLabel}</option>
        {!known && (
          <option value={value}>{search ? `(not in the results) ${value}` : `Unknown workflow ${value}`}</option>
        )}
        {choices.map((w) => (
          <option key={w.workflow_id} value={w.workflow_id}>
            {w.name}
            {w.status === 'draft' ? ' (draft: not published)' : ''}
          </option>
        ))}
      </select>
      {(total > PAGE || search) && (
        <input
          type="search"
          aria-label="Search workflows"
          placeholder="Search by name"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      )}
      {list.error && (
        <span className="error" role="alert">
          {list.error.message}
        </span>
      )}
    </span>
  );
}
