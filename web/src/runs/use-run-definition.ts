/**
 * @module runs/use-run-definition
 * What the run page draws: the version a run ran (the working copy for a run of none, such as a
 * test of a draft), and the entity of its workflow, whose workflows the action_workflow nodes
 * call (a version snapshot does not name it). The workflow is read once for both when the run
 * ran the working copy.
 */
import type { Execution } from '../api/runs-api.ts';
import type { WorkflowDefinition } from '../api/types.ts';
import { getVersion, getWorkflow } from '../api/workflows-api.ts';
import { useSession } from '../shell/session-context.tsx';
import { type Loaded, useLoad } from './use-load.ts';

export interface RunDefinition {
  readonly definition: Loaded<WorkflowDefinition | undefined>;
  /** Undefined until the workflow is read (or when it cannot be). */
  readonly entityId: number | undefined;
}

export function useRunDefinition(execution: Execution | undefined): RunDefinition {
  const { api } = useSession();
  const workflowId = execution?.workflow_id;
  const version = execution?.workflow_version;
  const workflow = useLoad(async () => (workflowId ? getWorkflow(api, workflowId) : undefined), [workflowId]);
  const snapshot = useLoad(
    async () => (workflowId && version != null ? getVersion(api, workflowId, version) : undefined),
    [workflowId, version],
  );
  return { definition: version === null ? workflow : snapshot, entityId: workflow.data?.entity_id };
}
