/**
 * @module runs/executions-list
 * The runs of a workflow: status and trigger filters, the reference's sort_by and sort_order,
 * "include tests", pages; page 1 is read again every few seconds, so new runs appear live.
 * The trigger filter applies to the page shown (the API filters by status only). Each row can be
 * rerun (the new run is announced with its link and shows up in the list) and deleted (after a
 * question in a dialog; the row leaves), the run page's own actions (run-actions).
 */
import { useEffect, useState } from 'react';
import { type ExecutionStatus, type ListExecutionsQuery, listExecutions } from '../api/runs-api.ts';
import { link } from '../shell/app-header.tsx';
import { useSession } from '../shell/session-context.tsx';
import { ApiErrorNotice } from './api-error.tsx';
import { DeleteRunDialog } from './delete-run-dialog.tsx';
import {
  offersDelete,
  offersRerun,
  type RunActionOutcome,
  refusalTitle,
  shortId,
  useRunActions,
} from './run-actions.ts';
import { formatDuration, formatTime, StatusBadge } from './status-badge.tsx';
import { useLoad } from './use-load.ts';

const STATUSES: ExecutionStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];
const TRIGGERS = ['api', 'grpc', 'webhook', 'command', 'event', 'schedule', 'test'];
const REFRESH_MS = 2000;

export function ExecutionsList({ workflowId, communityId }: { workflowId: string; communityId: number | string }) {
  const { api } = useSession();
  const [status, setStatus] = useState<ExecutionStatus | ''>('');
  const [trigger, setTrigger] = useState('');
  const [sortBy, setSortBy] = useState<NonNullable<ListExecutionsQuery['sort_by']>>('start_time');
  const [sortOrder, setSortOrder] = useState<'asc' | 'desc'>('desc');
  const [includeTest, setIncludeTest] = useState(false);
  const [page, setPage] = useState(1);
  const query: ListExecutionsQuery = {
    community_id: communityId,
    status: status || undefined,
    sort_by: sortBy,
    sort_order: sortOrder,
    include_test: includeTest || trigger === 'test',
    page,
    per_page: 20,
  };
  const list = useLoad(() => listExecutions(api, workflowId, query), [workflowId, JSON.stringify(query)]);
  const { reload } = list;
  useEffect(() => {
    if (page !== 1) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [page, reload]);

  const [done, setDone] = useState<RunActionOutcome | null>(null);
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set());
  const actions = useRunActions((outcome) => {
    if (outcome.kind === 'kept') return;
    setDone(outcome);
    if (outcome.kind === 'deleted') setDeleted((ids) => new Set(ids).add(outcome.run.execution_id));
    reload();
  });

  const rows = (list.data?.data ?? []).filter(
    (row) => !deleted.has(row.execution_id) && (!trigger || row.trigger_source === trigger),
  );
  const pagination = list.data?.meta?.pagination;
  const change =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(1);
    };

  return (
    <section aria-label="Executions">
      <div className="filters">
        <label>
          Status{' '}
          <select
            aria-label="Status"
            value={status}
            onChange={(e) => change(setStatus)(e.target.value as ExecutionStatus | '')}
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Trigger{' '}
          <select aria-label="Trigger" value={trigger} onChange={(e) => change(setTrigger)(e.target.value)}>
            <option value="">any</option>
            {TRIGGERS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Sort by{' '}
          <select
            aria-label="Sort by"
            value={sortBy}
            onChange={(e) => change(setSortBy)(e.target.value as typeof sortBy)}
          >
            <option value="start_time">start time</option>
            <option value="status">status</option>
            <option value="execution_time">duration</option>
          </select>
        </label>
        <label>
          Order{' '}
          <select
            aria-label="Order"
            value={sortOrder}
            onChange={(e) => change(setSortOrder)(e.target.value as 'asc' | 'desc')}
          >
            <option value="desc">descending</option>
            <option value="asc">ascending</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={includeTest} onChange={(e) => change(setIncludeTest)(e.target.checked)} />{' '}
          Include tests
        </label>
      </div>
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
          {rows.length === 0 && !list.loading && (
            <tr>
              <td colSpan={7} className="muted">
                No executions{status || trigger ? ' match these filters' : ' yet'}.
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
