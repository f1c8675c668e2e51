/**
 * @module editor/workflow-list-page
 * The workflows of one entity (picked from the token's entities): search, status filter, pages;
 * create a new one (empty, from a template, or imported from an export), open or archive one.
 */
import { type FormEvent, lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { Pagination } from '../api/client.ts';
import type { WorkflowStatus, WorkflowSummary } from '../api/types.ts';
import { archiveWorkflow, createWorkflow, listWorkflows } from '../api/workflows-api.ts';
import { link } from '../shell/app-header.tsx';
import { EntityPicker, isEntityId, useEntityChoice } from '../shell/entity-picker.tsx';
import { ListHead } from '../shell/list-head.tsx';
import { navigate } from '../shell/router.ts';
import { useSession } from '../shell/session-context.tsx';

const ImportDialog = lazy(() => import('../transfer/import-dialog.tsx'));
const STATUSES: readonly WorkflowStatus[] = ['draft', 'active', 'archived'];

export function WorkflowListPage() {
  const { api } = useSession();
  const [entity, setEntity] = useEntityChoice();
  const [importing, setImporting] = useState(false);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<WorkflowStatus | ''>('');
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<WorkflowSummary[]>([]);
  const [pagination, setPagination] = useState<Pagination | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [newName, setNewName] = useState('');

  const load = useCallback(async () => {
    if (!isEntityId(entity)) return;
    setLoading(true);
    try {
      const answer = await listWorkflows(api, {
        entity_id: Number(entity),
        search: search || undefined,
        status: status || undefined,
        page,
        per_page: 20,
      });
      setRows(answer.data);
      setPagination(answer.meta?.pagination ?? null);
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setLoading(false);
    }
  }, [api, entity, search, status, page]);

  useEffect(() => {
    const timer = setTimeout(load, 150);
    return () => clearTimeout(timer);
  }, [load]);

  function pickEntity(value: string) {
    setEntity(value);
    setPage(1);
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const made = await createWorkflow(api, {
        name: newName.trim(),
        entity_id: Number(entity),
        nodes: {},
        connections: [],
      });
      navigate(`/workflows/${made.workflow_id}`);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  async function archive(workflow: WorkflowSummary) {
    if (!window.confirm(`Archive "${workflow.name}"? Its triggers stop; its history stays.`)) return;
    try {
      await archiveWorkflow(api, workflow.workflow_id);
      await load();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <main className="page workflow-list">
      <div className="page-title">
        <h1>Workflows</h1>
        <div className="row">
          <form className="row" onSubmit={create} aria-label="New workflow">
            <label className="sr-only" htmlFor="new-workflow-name">
              New workflow name
            </label>
            <input
              id="new-workflow-name"
              value={newName}
              onChange={(event) => setNewName(event.target.value)}
              placeholder="Name of a new workflow"
              maxLength={200}
            />
            <button type="submit" className="primary" disabled={!newName.trim() || !isEntityId(entity)}>
              New workflow
            </button>
          </form>
          <a className="button" {...link('/templates')}>
            From a template
          </a>
          <button type="button" onClick={() => setImporting(true)} disabled={!isEntityId(entity)}>
            Import…
          </button>
        </div>
      </div>
      <div className="filters row">
        <EntityPicker value={entity} onChange={pickEntity} />
        <label>
          Search{' '}
          <input
            type="search"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setPage(1);
            }}
          />
        </label>
        <label>
          Status{' '}
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as WorkflowStatus | '');
              setPage(1);
            }}
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        {loading && <span aria-live="polite">Loading…</span>}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="list">
        <ListHead columns={['Name', 'Status', 'Version', 'Updated']} />
        <tbody>
          {rows.map((workflow) => (
            <tr key={workflow.workflow_id}>
              <td>
                <a {...link(`/workflows/${workflow.workflow_id}`)}>{workflow.name}</a>
                {' · '}
                <a {...link(`/workflows/${workflow.workflow_id}/operations`)}>runs</a>
                {workflow.description && <div className="muted">{workflow.description}</div>}
              </td>
              <td>
                <span className={`status status-${workflow.status}`}>{workflow.status}</span>
              </td>
              <td>
                {workflow.version ?? ''}
                {workflow.published_version ? ` (published ${workflow.published_version})` : ''}
              </td>
              <td>{new Date(workflow.updated_at).toLocaleString()}</td>
              <td>
                {workflow.status !== 'archived' && (
                  <button type="button" onClick={() => archive(workflow)} aria-label={`Archive ${workflow.name}`}>
                    Archive
                  </button>
                )}
              </td>
            </tr>
          ))}
          {!rows.length && !loading && (
            <tr>
              <td colSpan={5} className="muted">
                No workflows here yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {pagination && pagination.total_pages > 1 && (
        <nav className="row pager" aria-label="Pages">
          <button type="button" disabled={!pagination.has_prev} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {pagination.page} of {pagination.total_pages} ({pagination.total} workflows)
          </span>
          <button type="button" disabled={!pagination.has_next} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </nav>
      )}
      {importing && (
        <Suspense fallback={null}>
          <ImportDialog entityId={Number(entity)} onClose={() => setImporting(false)} />
        </Suspense>
      )}
    </main>
  );
}
