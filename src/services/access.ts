/**
 * @module services/access
 * The one place a workflow-scoped permission is decided, for every door (REST, gRPC): a caller
 * who cannot view gets the same 404 as for a missing id, so ids cannot be probed; a caller who
 * can view but lacks the flag gets 403.
 */
import { effectivePermissions, type PermissionFlag, type Principal } from '../core/permissions.ts';
import { AppError, notFoundError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { listGrants } from '../store/grants-repository.ts';
import { findWorkflow, type WorkflowRecord } from '../store/workflows-repository.ts';

export interface AuthorizedWorkflow {
  readonly workflow: WorkflowRecord;
  readonly permissions: ReadonlySet<PermissionFlag>;
}

export async function authorizeWorkflow(
  db: Db,
  principal: Principal,
  workflowId: string,
  needed: PermissionFlag,
  notFound: 'WORKFLOW_NOT_FOUND' | 'EXECUTION_NOT_FOUND' = 'WORKFLOW_NOT_FOUND',
): Promise<AuthorizedWorkflow> {
  const workflow = await findWorkflow(db, workflowId);
  const hidden = () => notFoundError(notFound);
  if (!workflow) throw hidden();
  const grants = workflow.created_by === principal.userId ? [] : await listGrants(db, workflowId);
  const permissions = effectivePermissions(principal, workflow, grants);
  if (!permissions.has('can_view')) throw hidden();
  if (!permissions.has(needed)) {
    throw new AppError('PERMISSION_DENIED', `Permission ${needed} is required on this workflow`, { required: needed });
  }
  return { workflow, permissions };
}
