/**
 * @module runs/run-title-bar
 * The run page's title line: the run's id, whether it is live, the link to the workflow's runs,
 * and what can be done with it (cancel while it runs, debug in the editor, rerun, delete).
 */
import type { Execution } from '../api/runs-api.ts';
import { link } from '../shell/app-header.tsx';
import { navigate } from '../shell/router.ts';
import { pinRunOutputs } from './debug-pins.ts';
import { offersDelete, offersRerun, type RunActions } from './run-actions.ts';
import { UNFINISHED } from './status-badge.tsx';

export interface RunTitleBarProps {
  readonly execution: Execution;
  readonly status: string;
  /** The live stream's state: '' when the run is not live. */
  readonly liveLabel: string;
  readonly cancelling: boolean;
  onCancel(): void;
  readonly actions: RunActions;
}

export function RunTitleBar({ execution, status, liveLabel, cancelling, onCancel, actions }: RunTitleBarProps) {
  function debugInEditor() {
    pinRunOutputs(execution);
    navigate(`/workflows/${execution.workflow_id}?debug=${execution.execution_id}`);
  }
  return (
    <div className="page-title">
      <h1>
        Execution <code className="run-id">{execution.execution_id.slice(0, 8)}</code>
      </h1>
      <span className="run-live" aria-live="polite">
        {liveLabel}
      </span>
      <span className="spacer" />
      <a {...link(`/workflows/${execution.workflow_id}/operations`)}>All runs of this workflow</a>
      {UNFINISHED.has(status) && (
        <button type="button" className="danger" onClick={onCancel} disabled={cancelling}>
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
  );
}
