/**
 * @module services/workflow-grants
 * Permission grants on one workflow: list, grant (insert or update) and revoke, each change
 * audited. Apart from services/workflows.ts, which spreads these into the workflow service; the
 * audit writer (services/audit-trail.ts) is passed in with the service's clock.
 */
import type { GrantType } from '../core/permissions.ts';
import { AppError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { deleteGrant, type GrantRecord, listGrants, upsertGrant } from '../store/grants-repository.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';
import type { Actor, AuditWriter } from './audit-trail.ts';

export interface GrantInput {
  readonly permission_type: GrantType;
  readonly target_id: string;
  readonly can_view?: boolean;
  readonly can_edit?: boolean;
  readonly can_delete?: boolean;
  readonly can_execute?: boolean;
  readonly can_manage_permissions?: boolean;
}

export function workflowGrants(db: Db, now: () => string, audit: AuditWriter) {
  return {
    grants(workflow: WorkflowRecord): Promise<GrantRecord[]> {
      return listGrants(db, workflow.workflow_id);
    },

    async grant(actor: Actor, workflow: WorkflowRecord, input: GrantInput): Promise<GrantRecord> {
      const at = now();
      const grant: GrantRecord = {
        workflow_id: workflow.workflow_id,
        permission_type: input.permission_type,
        target_id: input.target_id,
        can_view: input.can_view ?? false,
        can_edit: input.can_edit ?? false,
        can_delete: input.can_delete ?? false,
        can_execute: input.can_execute ?? false,
        can_manage_permissions: input.can_manage_permissions ?? false,
        granted_by: actor.principal.userId,
        created_at: at,
        updated_at: at,
      };
      await db.transaction().execute(async (trx) => {
        await upsertGrant(trx, grant);
        await audit(trx, actor, workflow.workflow_id, 'permission_granted', { ...input });
      });
      const stored = (await listGrants(db, workflow.workflow_id)).find(
        (g) => g.permission_type === grant.permission_type && g.target_id === grant.target_id,
      );
      return stored ?? grant;
    },

    async revoke(actor: Actor, workflow: WorkflowRecord, type: GrantType, targetId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const removed = await deleteGrant(trx, workflow.workflow_id, type, targetId);
        if (!removed) throw new AppError('NOT_FOUND', `No ${type} grant for "${targetId}" on this workflow`);
        await audit(trx, actor, workflow.workflow_id, 'permission_revoked', {
          permission_type: type,
          target_id: targetId,
        });
      });
    },
  };
}
