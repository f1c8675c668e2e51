/**
 * @module panels/audit-log
 * A workflow's audit trail, newest first and paged as the API pages it: when, who, what (the
 * action and, in words, what changed) and from which address. Anyone who can view the workflow
 * may read it (the route asks for can_view).
 */
import { useState } from 'react';
import { listAudit } from '../api/runs-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { formatTime } from '../runs/status-badge.tsx';
import { useLoad } from '../runs/use-load.ts';
import { useSession } from '../shell/session-context.tsx';
import { describeAudit } from './audit-details.ts';

export function AuditLog({ workflowId, changes }: { workflowId: string; changes: number }) {
  const { api } = useSession();
  const [page, setPage] = useState(1);
  // `changes` counts the edits made in this panel: the newest entries then show without a reload.
  const audit = useLoad(() => listAudit(api, workflowId, page), [workflowId, page, changes]);
  const entries = audit.data?.data ?? [];
  const pagination = audit.data?.meta?.pagination;
  return (
    <section aria-labelledby="audit-title">
      <h3 id="audit-title">Audit log</h3>
      <ApiErrorNotice error={audit.error} title="The audit log could not be loaded" />
      <table className="list audit">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Details</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, i) => {
            const text = describeAudit(entry.action, entry.details);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: newest first, stable within a page
              <tr key={i}>
                <td>{formatTime(entry.created_at)}</td>
                <td>{entry.actor_username ? `${entry.actor_username} (${entry.actor_id})` : entry.actor_id}</td>
                <td>
                  {text.title} <code className="audit-action">{entry.action}</code>
                </td>
                <td className="audit-details">{text.details || '–'}</td>
                <td>
                  <code>{entry.client_ip ?? '–'}</code>
                </td>
              </tr>
            );
          })}
          {audit.data && entries.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                Nothing recorded yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {pagination && pagination.total_pages > 1 && (
        <nav className="pager row" aria-label="Audit log pages">
          <button type="button" disabled={!pagination.has_prev} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span>
            page {pagination.page} of {pagination.total_pages} ({pagination.total} entries)
          </span>
          <button type="button" disabled={!pagination.has_next} onClick={() => setPage(page + 1)}>
            Older
          </button>
        </nav>
      )}
    </section>
  );
}
