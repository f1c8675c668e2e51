/**
 * @module runs/run-error-banner
 * Why a run failed, naming the node it failed at (a button that selects it).
 */
import type { Execution } from '../api/runs-api.ts';

export interface RunErrorBannerProps {
  readonly execution: Execution;
  labelOf(nodeId: string): string;
  onSelect(nodeId: string): void;
}

export function RunErrorBanner({ execution, labelOf, onSelect }: RunErrorBannerProps) {
  const { error_message: message, error_node_id: nodeId } = execution;
  if (!message) return null;
  return (
    <div className="run-error" role="alert">
      <strong>Failed{nodeId ? ' at ' : ''}</strong>
      {nodeId && (
        <button type="button" className="link-button" onClick={() => onSelect(nodeId)}>
          {labelOf(nodeId)}
        </button>
      )}
      : <span className="run-error-message">{message}</span>
    </div>
  );
}
