/**
 * @module runs/debug-pins
 * "Debug in editor": a run's node outputs become the editor's pinned test outputs (sent as
 * `mock_outputs` with test runs only). Stored where the editor keeps its pins
 * (editor/test-pins.ts); trigger nodes and truncated outputs are left out.
 */
import type { Execution } from '../api/runs-api.ts';
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
  const key = `workflow-core.pins.${execution.workflow_id}`;
  if (Object.keys(pins).length) localStorage.setItem(key, JSON.stringify(pins));
  else localStorage.removeItem(key);
  return pins;
}
