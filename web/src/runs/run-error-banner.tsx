/**
 * @module runs/run-error-banner
 * Why a run failed, or where it was cancelled, naming the node (a button that selects it). A cancel
 * is something a user did, not an error: it is said as such, without the alarm.
 */
import type { Execution } from '../api/runs-api.ts';

export interface RunErrorBannerProps {
  readonly execution: Execution;
  labelOf(nodeId: string): string;
  onSelect(nodeId: string): void;
}

export function RunErrorBanner({ execution, labelOf, onSelect }: RunErrorBannerProps) {
  const { error_message: message } = execution;
  if (!message) return null;
  const cancelled = execution.status === 'cancelled';
  // A cancel records no error node: the node it interrupted is the one left `cancelled`.
  const nodeId =
    execution.error_node_id ??
    (cancelled
      ? Object.entries(execution.node_states).find(([, state]) => state.status === 'cancelled')?.[0]
      : undefined);
  return (
    <div className={cancelled ? 'run-error run-cancelled' : 'run-error'} role={cancelled ? 'status' : 'alert'}>
      <strong>
        {cancelled ? 'Cancelled' : 'Failed'}
        {nodeId ? ' at ' : ''}
      </strong>
      {nodeId && (
        <button type="button" className="link-button" onClick={() => onSelect(nodeId)}>
          {labelOf(nodeId)}
        </button>
      )}
      : <span className="run-error-message">{message}</span>
    </div>
  );
}
