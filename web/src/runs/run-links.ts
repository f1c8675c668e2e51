/**
 * @module runs/run-links
 * The runs a run is linked to: the sub-workflow runs its action_workflow nodes started (their
 * output names the child without wait; the node's log line names it with wait).
 */
import type { Execution } from '../api/runs-api.ts';

export interface SubRun {
  readonly nodeId: string;
  readonly executionId: string;
}

const LOGGED_CHILD = /sub-workflow execution ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

export function subRunsOf(execution: Pick<Execution, 'node_states'>): SubRun[] {
  const found: SubRun[] = [];
  const seen = new Set<string>();
  const add = (nodeId: string, executionId: string) => {
    if (seen.has(executionId)) return;
    seen.add(executionId);
    found.push({ nodeId, executionId });
  };
  for (const [nodeId, state] of Object.entries(execution.node_states)) {
    if (state.node_type !== 'action_workflow') continue;
    for (const line of state.logs ?? []) {
      const match = LOGGED_CHILD.exec(line);
      if (match) add(nodeId, match[1].toLowerCase());
    }
    const output = state.output_data as { execution_id?: unknown } | null | undefined;
    if (typeof output?.execution_id === 'string' && LOGGED_CHILD.exec(`sub-workflow execution ${output.execution_id}`))
      add(nodeId, output.execution_id.toLowerCase());
  }
  return found;
}
