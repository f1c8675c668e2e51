/**
 * @module runs/executions-list
 * The runs of a workflow: status and trigger filters (executions-filters; the server filters
 * both, so pages and total count only matching runs), the reference's sort_by and sort_order,
 * "include tests", pages; page 1 is read again every few seconds, so new runs appear live. Each
 * row can be rerun (the new run is announced with its link and shows up in the list) and deleted
 * (after a question in a dialog; the row leaves), the run page's own actions (run-actions).
 */
import { useState } from 'react';
import { listExecutions } from '../api/runs-api.ts';
import { link } from '../shell/app-header.tsx';
import { useSession } from '../shell/session-context.tsx';
import { ApiErrorNotice } from './api-error.tsx';
import { DeleteRunDialog } from './delete-run-dialog.tsx';
import { ExecutionsFilters } from './executions-filters.tsx';
import { emptyRowText, isFiltered, type ListFilters, listQuery, NO_FILTERS } from './executions-query.ts';
import {
  offersDelete,
  offersRerun,
  type RunActionOutcome,
  refusalTitle,
  shortId,
  useRunActions,
} from './run-actions.ts';
import { formatDuration, formatTime, StatusBadge } from './status-badge.tsx';
import { useLoad, useRefresh } from './use-load.ts';

const REFRESH_MS = 2000;

export function ExecutionsList({ workflowId, communityId }: { workflowId: string; communityId: number }) {
  const { api } = useSession();
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const query = listQuery(communityId, filters, page);
  const list = useLoad(() => listExecutions(api, workflowId, query), [workflowId, JSON.stringify(query)]);
  useRefresh(list.reload, page === 1 ? REFRESH_MS : null);

  const [done, setDone] = useState<RunActionOutcome | null>(null);
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set());
  const actions = useRunActions((outcome) => {
    if (outcome.kind === 'kept') return;
    setDone(outcome);
    if (outcome.kind === 'deleted') setDeleted((ids) => new Set(ids).add(outcome.run.execution_id));
    list.reload();
  });

  const rows = (list.data?.data ?? []).filter((row) => !deleted.has(row.execution_id));
  const pagination = list.data?.meta?.pagination;
  const empty = emptyRowText({
    loaded: list.data !== undefined,
    loading: list.loading,
    failed: list.error !== null,
    rows: rows.length,
    filtered: isFiltered(filters),
  });

  return (
    <section aria-label="Executions">
      <ExecutionsFilters
        filters={filters}
        onChange={(patch) => {
          setFilters({ ...filters, ...patch });
          setPage(1);
        }}
      />
      <ApiErrorNotice error={list.error} title="Executions could not be loaded" />
      {actions.asking && <DeleteRunDialog run={actions.asking} onAnswer={actions.answer} />}
      {actions.refusal && <ApiErrorNotice error={actions.refusal.error} title={refusalTitle(actions.refusal)} />}
      <p className="action-done" role="status">
        {done?.kind === 'rerun' && (
          <>
            Run {shortId(done.run.execution_id)} rerun as{' '}
            <a {...link(`/executions/${done.started.execution_id}`)}>run {shortId(done.started.execution_id)}</a>.
          </>
        )}
        {done?.kind === 'deleted' && `Run ${shortId(done.run.execution_id)} deleted.`}
      </p>
      <table className="list executions">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Trigger</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Nodes</th>
            <th scope="col">First error</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.execution_id} data-execution={row.execution_id}>
              <td>
                <a {...link(`/executions/${row.execution_id}`)}>
                  <span className="sr-only">Open execution </span>
                  <StatusBadge status={row.status} />
                </a>
                {row.test_mode && <span className="badge-test">test</span>}
              </td>
              <td>{row.trigger_source}</td>
              <td>{formatTime(row.start_time)}</td>
              <td>{formatDuration(row.execution_time_seconds)}</td>
              <td>{row.nodes_executed}</td>
              <td className="error-cell">{row.error ?? ''}</td>
              <td className="row-actions">
                {offersRerun(row) && (
                  <button
                    type="button"
                    aria-label={`Rerun run ${shortId(row.execution_id)}`}
                    onClick={() => void actions.rerun(row)}
                    disabled={actions.busy !== null}
                  >
                    Rerun
                  </button>
                )}
                <button
                  type="button"
                  className="danger"
                  aria-label={`Delete run ${shortId(row.execution_id)}`}
                  title={offersDelete(row) ? undefined : 'Cancel the run before deleting it'}
                  onClick={() => void actions.remove(row)}
                  disabled={actions.busy !== null || !offersDelete(row)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
          {empty && (
            <tr>
              <td colSpan={7} className="muted">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {pagination && pagination.total_pages > 1 && (
        <div className="pager">
          <button type="button" disabled={!pagination.has_prev} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            page {pagination.page} of {pagination.total_pages} ({pagination.total} runs)
          </span>
          <button type="button" disabled={!pagination.has_next} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </div>
      )}
    </section>
  );
}
