/**
 * @module runs/workflow-operations-page
 * /workflows/:id/operations: a workflow's overview (24 h chart, runs) and its webhooks,
 * schedules, access and versions, one tab each (`?tab=`).
 */
import './runs.css';
import { getWorkflow } from '../api/workflows-api.ts';
import { AccessPanel } from '../panels/access-panel.tsx';
import { SchedulesPanel } from '../panels/schedules-panel.tsx';
import { VersionsDiffPanel } from '../panels/versions-diff-panel.tsx';
import { WebhooksPanel } from '../panels/webhooks-panel.tsx';
import { link } from '../shell/app-header.tsx';
import { searchParam, usePath } from '../shell/router.ts';
import { useSession } from '../shell/session-context.tsx';
import { ApiErrorNotice } from './api-error.tsx';
import { ExecutionsList } from './executions-list.tsx';
import { StatsOverview } from './stats-overview.tsx';
import { useLoad } from './use-load.ts';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'schedules', label: 'Schedules' },
  { id: 'access', label: 'Access' },
  { id: 'versions', label: 'Versions' },
] as const;

export default function WorkflowOperationsPage({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const path = usePath();
  const tab = searchParam(path, 'tab') ?? 'overview';
  const workflow = useLoad(() => getWorkflow(api, workflowId), [workflowId]);
  if (workflow.error) {
    return (
      <main className="page">
        <h1>Workflow</h1>
        <ApiErrorNotice error={workflow.error} title="The workflow could not be loaded" />
      </main>
    );
  }
  const base = `/workflows/${workflowId}/operations`;
  return (
    <main className="page operations-page">
      <div className="page-title">
        <h1>{workflow.data?.name ?? 'Workflow'}</h1>
        <span className="spacer" />
        <a {...link(`/workflows/${workflowId}`)}>Open in editor</a>
      </div>
      <nav className="tabs" aria-label="Workflow sections">
        {TABS.map((t) => (
          <a key={t.id} {...link(`${base}?tab=${t.id}`)} aria-current={tab === t.id ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      {tab === 'overview' && (
        <>
          <StatsOverview workflowId={workflowId} />
          <h2>Executions</h2>
          {workflow.data && <ExecutionsList workflowId={workflowId} communityId={workflow.data.community_id ?? 0} />}
        </>
      )}
      {tab === 'webhooks' && <WebhooksPanel workflowId={workflowId} />}
      {tab === 'schedules' && <SchedulesPanel workflowId={workflowId} />}
      {tab === 'access' && <AccessPanel workflowId={workflowId} />}
      {tab === 'versions' && <VersionsDiffPanel workflowId={workflowId} />}
    </main>
  );
}
