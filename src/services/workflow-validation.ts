/**
 * @module services/workflow-validation
 * Validation in context: the graph and config checks of core/validate with the service's limits,
 * plus what only the store knows (webhooks of the workflow, credentials and sub-workflows it
 * refers to). Apart from services/workflows.ts because validate, publish and the import of a
 * definition not stored yet all run it.
 */
import { withNodeProblems } from '../core/extra-problems.ts';
import { validateWorkflow } from '../core/validate.ts';
import { getNodeType } from '../nodes/registry.ts';
import type { Db } from '../store/database.ts';
import { hasWebhooks } from '../store/webhooks-repository.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';
import { referenceProblems } from './workflow-references.ts';

export interface WorkflowValidationDeps {
  readonly maxLoopDepth: number;
  /** MAX_CONFIG_STRING_BYTES (default 64 KiB). */
  readonly maxConfigStringBytes?: number;
  /** The credential names of an entity (validation reports unknown ones). */
  readonly credentialNames?: (entityId: number) => Promise<string[]>;
  readonly maxScheduleNodes?: number;
}

export function workflowValidation(db: Db, deps: WorkflowValidationDeps) {
  return async function validationOf(
    workflow: Pick<WorkflowRecord, 'nodes' | 'connections' | 'entity_id' | 'settings'> & { workflow_id?: string },
  ) {
    const result = validateWorkflow({ nodes: workflow.nodes, connections: workflow.connections }, getNodeType, {
      maxLoopDepth: deps.maxLoopDepth,
      maxConfigStringBytes: deps.maxConfigStringBytes,
      maxScheduleNodes: deps.maxScheduleNodes,
      hasWebhooks: workflow.workflow_id !== undefined && (await hasWebhooks(db, workflow.workflow_id)),
    });
    const references = await referenceProblems(db, workflow, deps.credentialNames);
    return {
      result: withNodeProblems(result, Object.keys(workflow.nodes), references.nodeProblems, references.workflowErrors),
      references,
    };
  };
}
