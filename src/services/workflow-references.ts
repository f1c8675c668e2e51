/**
 * @module services/workflow-references
 * What a definition refers to outside itself, checked against the store: credentials of its
 * entity, workflows its nodes call, its error workflow. Validation reports what is missing;
 * publish also needs the publisher's can_execute on every called workflow.
 */
import { credentialProblems, credentialRefs } from '../core/credential-refs.ts';
import type { NodeProblem } from '../core/extra-problems.ts';
import type { Principal } from '../core/permissions.ts';
import type { WorkflowNode, WorkflowSettings } from '../core/workflow.ts';
import { AppError } from '../errors.ts';
import { calledWorkflowsOf } from '../nodes/registry.ts';
import type { Db } from '../store/database.ts';
import { findWorkflowHead } from '../store/workflows-repository.ts';
import { authorizeWorkflow } from './access.ts';

export interface ReferencingWorkflow {
  readonly workflow_id?: string;
  readonly entity_id: number;
  readonly nodes: Readonly<Record<string, WorkflowNode>>;
  readonly settings?: WorkflowSettings;
}

export interface ReferenceProblems {
  readonly nodeProblems: NodeProblem[];
  readonly workflowErrors: string[];
  readonly missingCredentials: string[];
  readonly missingWorkflows: string[];
}

async function inEntity(db: Db, workflowId: string, entityId: number): Promise<boolean> {
  const head = await findWorkflowHead(db, workflowId);
  return head !== undefined && head.entity_id === entityId && head.status !== 'archived';
}

export async function referenceProblems(
  db: Db,
  workflow: ReferencingWorkflow,
  credentialNames: ((entityId: number) => Promise<string[]>) | undefined,
): Promise<ReferenceProblems> {
  const refs = credentialRefs(workflow.nodes);
  const known = new Set(refs.length && credentialNames ? await credentialNames(workflow.entity_id) : []);
  const nodeProblems = credentialProblems(workflow.nodes, known);
  const missingCredentials = [...new Set(refs.map((ref) => ref.name).filter((name) => !known.has(name)))].sort();
  const missingWorkflows = new Set<string>();
  for (const { nodeId, workflowId } of calledWorkflowsOf(workflow.nodes)) {
    if (await inEntity(db, workflowId, workflow.entity_id)) continue;
    missingWorkflows.add(workflowId);
    nodeProblems.push({ nodeId, message: `calls workflow ${workflowId}, which does not exist in this entity` });
  }
  const workflowErrors: string[] = [];
  const errorWorkflowId = workflow.settings?.error_workflow_id;
  if (errorWorkflowId) {
    if (errorWorkflowId === workflow.workflow_id) {
      workflowErrors.push('settings.error_workflow_id: a workflow cannot be its own error workflow');
    } else if (!(await inEntity(db, errorWorkflowId, workflow.entity_id))) {
      missingWorkflows.add(errorWorkflowId);
      workflowErrors.push(`settings.error_workflow_id: workflow ${errorWorkflowId} does not exist in this entity`);
    }
  }
  return { nodeProblems, workflowErrors, missingCredentials, missingWorkflows: [...missingWorkflows].sort() };
}

/** Publishing a workflow that calls others needs can_execute on each of them (PRODUCT.md §13). */
export async function checkCallPermissions(
  db: Db,
  principal: Principal,
  nodes: Readonly<Record<string, WorkflowNode>>,
): Promise<void> {
  for (const { nodeId, workflowId } of calledWorkflowsOf(nodes)) {
    try {
      await authorizeWorkflow(db, principal, workflowId, 'can_execute');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw new AppError(
        'PERMISSION_DENIED',
        `Publishing needs can_execute on workflow ${workflowId}, which node '${nodeId}' calls`,
        { required: 'can_execute', workflow_id: workflowId, node_id: nodeId },
      );
    }
  }
}
