/**
 * @module editor/called-workflow-line
 * The line on an action_workflow node's card that names the workflow it calls, with its warning
 * (archived, not published, unknown, none chosen): one component for the editor's canvas and the
 * run page's, both of which provide the names (called-workflows).
 */
import type { WorkflowNode } from '../api/types.ts';
import { calledId, calledWorkflowLabel, useCalledWorkflows } from './called-workflows.ts';

export function CalledWorkflowLine({ node }: { node: WorkflowNode }) {
  const id = calledId(node);
  const { text, warn } = calledWorkflowLabel(id, useCalledWorkflows());
  return (
    <div className={`node-calls${warn ? ' node-calls-warn' : ''}`} title={id}>
      {text}
    </div>
  );
}
