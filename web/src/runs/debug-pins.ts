/**
 * @module runs/debug-pins
 * "Debug in editor": a run's node outputs become the editor's pinned test outputs (sent as
 * `mock_outputs` with test runs only). Stored as the editor's pins (editor/test-pins.ts); trigger nodes and truncated outputs are left out.
 */
import type { Execution } from '../api/runs-api.ts';
import { savePins } from '../editor/test-pins.ts';
import { isTruncated } from './json-tree.tsx';

export function runOutputs(execution: Execution): Record<string, unknown> {
  const pins: Record<string, unknown> = {};
  for (const [id, state] of Object.entries(execution.node_states)) {
    if (state.status !== 'completed' || state.output_data === undefined || isTruncated(state.output_data)) continue;
    if (state.node_type?.startsWith('trigger_')) continue;
    pins[id] = state.output_data;
  }
  return pins;
}

export function pinRunOutputs(execution: Execution): Record<string, unknown> {
  const pins = runOutputs(execution);
  savePins(execution.workflow_id, pins);
  return pins;
}
