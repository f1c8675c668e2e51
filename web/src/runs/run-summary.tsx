/**
 * @module runs/run-summary
 * The facts line at the top of a run: status, trigger, version, times, nodes run, and the runs it
 * is linked to (the run it reruns, the run that started it, its sub-workflow runs).
 */
import type { Execution } from '../api/runs-api.ts';
import { link } from '../shell/app-header.tsx';
import { subRunsOf } from './run-links.ts';
import { formatDuration, formatTime, StatusBadge } from './status-badge.tsx';

export function RunSummary({ execution, status }: { execution: Execution; status: string }) {
  return (
    <dl className="facts summary">
      <dt>Status</dt>
      <dd>
        <StatusBadge status={status} />
        {execution.test_mode && <span className="badge-test">test run</span>}
      </dd>
      <dt>Trigger</dt>
      <dd>{execution.trigger_source}</dd>
      <dt>Version</dt>
      <dd>{execution.workflow_version ?? 'working copy'}</dd>
      <dt>Started</dt>
      <dd>{formatTime(execution.start_time ?? execution.queued_at)}</dd>
      <dt>Ended</dt>
      <dd>{formatTime(execution.end_time)}</dd>
      <dt>Duration</dt>
      <dd>{formatDuration(execution.execution_time_seconds)}</dd>
      <dt>Nodes run</dt>
      <dd>{execution.execution_path.length}</dd>
      <RunLinks execution={execution} />
    </dl>
  );
}

const runLink = (id: string) => (
  <a {...link(`/executions/${id}`)}>
    <code>{id.slice(0, 8)}</code>
  </a>
);

function RunLinks({ execution }: { execution: Execution }) {
  const children = subRunsOf(execution);
  return (
    <>
      {execution.rerun_of && (
        <>
          <dt>Rerun of</dt>
          <dd>{runLink(execution.rerun_of)}</dd>
        </>
      )}
      {execution.parent_execution_id && (
        <>
          <dt>Started by</dt>
          <dd>
            run {runLink(execution.parent_execution_id)}
            {execution.parent_node_id && (
              <>
                {' '}
                (node <code>{execution.parent_node_id}</code>)
              </>
            )}
          </dd>
        </>
      )}
      {children.length > 0 && (
        <>
          <dt>Sub-workflow runs</dt>
          <dd>
            {children.map((child, index) => (
              <span key={child.executionId}>
                {index > 0 && ', '}
                {runLink(child.executionId)} (from <code>{child.nodeId}</code>)
              </span>
            ))}
          </dd>
        </>
      )}
    </>
  );
}
