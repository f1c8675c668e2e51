/**
 * @module runs/execution-page
 * One execution (deep link /executions/:id): the version it ran on the canvas painted by node
 * state, the timeline, the selected node's data, outbox, final output, variables, metrics and the
 * error on its node; cancel while it runs; "Debug in editor" pins its outputs for a test run;
 * rerun and delete; links to the run it reruns, its parent run and its sub-workflow runs.
 * Live while queued or running (runs/use-live-run.ts).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import './runs.css';
import type { ApiError } from '../api/client.ts';
import { cancelExecution, type Execution } from '../api/runs-api.ts';
import { link } from '../shell/app-header.tsx';
import { navigate } from '../shell/router.ts';
import { useSession } from '../shell/session-context.tsx';
import { ApiErrorNotice } from './api-error.tsx';
import { pinRunOutputs } from './debug-pins.ts';
import { DeleteRunDialog } from './delete-run-dialog.tsx';
import { NodeDetail } from './node-detail.tsx';
import { offersDelete, offersRerun, refusalTitle, useRunActions } from './run-actions.ts';
import { RunCanvas } from './run-canvas.tsx';
import { subRunsOf } from './run-links.ts';
import { FinalData, Metrics, Outbox } from './run-record.tsx';
import { formatDuration, formatTime, StatusBadge, UNFINISHED } from './status-badge.tsx';
import { Timeline } from './timeline.tsx';
import { layoutTimeline } from './timeline-layout.ts';
import { useLiveRun } from './use-live-run.ts';
import { asApiError } from './use-load.ts';
import { useRunDefinition } from './use-run-definition.ts';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function Summary({ execution, status }: { execution: Execution; status: string }) {
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

export default function ExecutionPage({ executionId }: { executionId: string }) {
  const { api } = useSession();
  const run = useLiveRun(executionId);
  const execution = run.execution;
  const [selected, setSelected] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const actions = useRunActions((outcome) => {
    if (outcome.kind === 'rerun') navigate(`/executions/${outcome.started.execution_id}`);
    if (outcome.kind === 'deleted' && execution)
      navigate(`/workflows/${execution.workflow_id}/operations`, { replace: true });
  });

  const { definition, entityId } = useRunDefinition(execution);

  const liveNow = Boolean(execution && UNFINISHED.has(execution.status) && !run.live.ended);
  const now = useNow(liveNow);
  const status = liveNow && run.live.status ? run.live.status : (execution?.status ?? 'loading');

  useEffect(() => {
    if (execution?.error_node_id && selected === null) setSelected(execution.error_node_id);
  }, [execution?.error_node_id, selected]);

  const statusOf = useCallback(
    (nodeId: string) => {
      const stored = execution?.node_states[nodeId];
      const fromLive = liveNow ? run.live.nodes[nodeId] : undefined;
      return {
        status: fromLive?.status ?? stored?.status ?? 'pending',
        runs: Math.max(fromLive?.runs ?? 0, stored?.runs ?? (stored?.started_at ? 1 : 0)),
      };
    },
    [execution, liveNow, run.live.nodes],
  );

  const layout = useMemo(() => {
    const labels = Object.fromEntries(Object.entries(definition.data?.nodes ?? {}).map(([id, n]) => [id, n.label]));
    const stored = execution?.timeline?.spans ?? [];
    if (!liveNow && stored.length > 0) return layoutTimeline(stored, { labels });
    const startMs = Date.parse(execution?.start_time ?? execution?.queued_at ?? new Date(now).toISOString());
    return layoutTimeline(run.live.spans, { labels, nowMs: liveNow ? now - startMs : undefined });
  }, [execution, definition.data, liveNow, run.live.spans, now]);

  if (run.error) {
    return (
      <main className="page">
        <h1>Execution</h1>
        <ApiErrorNotice error={run.error} title="The execution could not be loaded" />
      </main>
    );
  }
  if (!execution) return <p className="loading">Loading execution…</p>;

  const labelOf = (id: string) => definition.data?.nodes[id]?.label || id;

  async function cancel() {
    setCancelling(true);
    try {
      await cancelExecution(api, executionId);
      setActionError(null);
      run.reload();
    } catch (error) {
      setActionError(asApiError(error));
    } finally {
      setCancelling(false);
    }
  }

  function debugInEditor() {
    if (!execution) return;
    pinRunOutputs(execution);
    navigate(`/workflows/${execution.workflow_id}?debug=${execution.execution_id}`);
  }

  return (
    <main className="page run-page">
      <div className="page-title">
        <h1>
          Execution <code className="run-id">{executionId.slice(0, 8)}</code>
        </h1>
        <span className="run-live" aria-live="polite">
          {liveNow ? (run.reconnecting ? 'reconnecting…' : 'live') : ''}
        </span>
        <span className="spacer" />
        <a {...link(`/workflows/${execution.workflow_id}/operations`)}>All runs of this workflow</a>
        {UNFINISHED.has(status) && (
          <button type="button" className="danger" onClick={cancel} disabled={cancelling}>
            Cancel run
          </button>
        )}
        <button type="button" onClick={debugInEditor} disabled={UNFINISHED.has(status)}>
          Debug in editor
        </button>
        {offersRerun(execution) && (
          <button
            type="button"
            onClick={() => void actions.rerun(execution)}
            disabled={actions.busy !== null}
            title="Run the latest published version again with this trigger data"
          >
            Rerun
          </button>
        )}
        <button
          type="button"
          className="danger"
          onClick={() => void actions.remove(execution)}
          disabled={actions.busy !== null || !offersDelete({ ...execution, status })}
        >
          Delete run
        </button>
      </div>
      {actions.asking && <DeleteRunDialog run={actions.asking} onAnswer={actions.answer} />}
      <ApiErrorNotice error={actionError} title="Action failed" />
      {actions.refusal && <ApiErrorNotice error={actions.refusal.error} title={refusalTitle(actions.refusal)} />}
      <ApiErrorNotice error={run.streamError} title="Live updates stopped" />
      <ApiErrorNotice error={definition.error} title="The workflow version could not be loaded" />
      {execution.error_message && (
        <div className="run-error" role="alert">
          <strong>Failed{execution.error_node_id ? ' at ' : ''}</strong>
          {execution.error_node_id && (
            <button type="button" className="link-button" onClick={() => setSelected(execution.error_node_id)}>
              {labelOf(execution.error_node_id)}
            </button>
          )}
          : <span className="run-error-message">{execution.error_message}</span>
        </div>
      )}
      <div className="run-layout">
        <section className="run-main" aria-label="Run">
          <Summary execution={execution} status={status} />
          {definition.data && (
            <RunCanvas
              nodes={definition.data.nodes}
              connections={definition.data.connections}
              entityId={entityId}
              statusOf={statusOf}
              errorNodeId={execution.error_node_id}
              selected={selected}
              onSelect={setSelected}
            />
          )}
          <h2>Timeline</h2>
          <Timeline layout={layout} selected={selected} onSelect={setSelected} />
          {execution.timeline && execution.timeline.dropped > 0 && (
            <p className="muted">{execution.timeline.dropped} later node runs are not drawn (timeline cap).</p>
          )}
        </section>
        <aside className="run-side" aria-label="Selected node">
          {selected ? (
            <NodeDetail nodeId={selected} label={labelOf(selected)} state={execution.node_states[selected]} />
          ) : (
            <p className="muted">Select a node on the canvas or the timeline to see its input, output and logs.</p>
          )}
        </aside>
      </div>
      <h2>Outbox</h2>
      <Outbox execution={execution} />
      <FinalData execution={execution} />
      <h2>Metrics</h2>
      <Metrics execution={execution} />
    </main>
  );
}
