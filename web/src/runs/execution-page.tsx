/**
 * @module runs/execution-page
 * One execution (deep link /executions/:id): the version it ran on the canvas painted by node
 * state, the timeline, the selected node's data, outbox, final output, variables, metrics and the
 * error on its node; cancel while it runs; "Debug in editor" pins its outputs for a test run;
 * rerun and delete; links to the run it reruns, its parent run and its sub-workflow runs.
 * Live while queued or running (runs/use-live-run.ts, painted by runs/use-run-view.ts).
 */
import { useEffect, useState } from 'react';
import './runs.css';
import { navigate } from '../shell/router.ts';
import { ApiErrorNotice } from './api-error.tsx';
import { DeleteRunDialog } from './delete-run-dialog.tsx';
import { NodeDetail } from './node-detail.tsx';
import { refusalTitle, useRunActions } from './run-actions.ts';
import { RunCanvas } from './run-canvas.tsx';
import { RunErrorBanner } from './run-error-banner.tsx';
import { FinalData, Metrics, Outbox } from './run-record.tsx';
import { RunSummary } from './run-summary.tsx';
import { RunTitleBar } from './run-title-bar.tsx';
import { Timeline } from './timeline.tsx';
import { useCancelRun } from './use-cancel-run.ts';
import { useLiveRun } from './use-live-run.ts';
import { useRunDefinition } from './use-run-definition.ts';
import { useRunView } from './use-run-view.ts';

export default function ExecutionPage({ executionId }: { executionId: string }) {
  const run = useLiveRun(executionId);
  const execution = run.execution;
  const [selected, setSelected] = useState<string | null>(null);
  const cancelRun = useCancelRun(executionId, run.reload);
  const actions = useRunActions((outcome) => {
    if (outcome.kind === 'rerun') navigate(`/executions/${outcome.started.execution_id}`);
    if (outcome.kind === 'deleted' && execution)
      navigate(`/workflows/${execution.workflow_id}/operations`, { replace: true });
  });
  const { definition, entityId } = useRunDefinition(execution);
  const { liveNow, status, statusOf, layout } = useRunView(run, definition.data);

  useEffect(() => {
    if (execution?.error_node_id && selected === null) setSelected(execution.error_node_id);
  }, [execution?.error_node_id, selected]);

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

  return (
    <main className="page run-page">
      <RunTitleBar
        execution={execution}
        status={status}
        liveLabel={liveNow ? (run.reconnecting ? 'reconnecting…' : 'live') : ''}
        cancelling={cancelRun.cancelling}
        onCancel={() => void cancelRun.cancel()}
        actions={actions}
      />
      {actions.asking && <DeleteRunDialog run={actions.asking} onAnswer={actions.answer} />}
      <ApiErrorNotice error={cancelRun.error} title="Action failed" />
      {actions.refusal && <ApiErrorNotice error={actions.refusal.error} title={refusalTitle(actions.refusal)} />}
      <ApiErrorNotice error={run.streamError} title="Live updates stopped" />
      <ApiErrorNotice error={definition.error} title="The workflow version could not be loaded" />
      <RunErrorBanner execution={execution} labelOf={labelOf} onSelect={setSelected} />
      <div className="run-layout">
        <section className="run-main" aria-label="Run">
          <RunSummary execution={execution} status={status} />
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
