/**
 * @module services/audit-trail
 * The one writer of the workflow audit trail: every change a user makes (workflows, grants,
 * webhooks, restores) records who acted, from which address, and when, through `auditWriter`, so
 * every row carries the same fields whichever service wrote it.
 */
import type { Principal } from '../core/permissions.ts';
import { insertAudit } from '../store/audit-repository.ts';
import type { Db } from '../store/database.ts';

/** Who acts on a workflow, and from which address: what an audit row records of them. */
export interface Actor {
  readonly principal: Principal;
  readonly clientIp: string | null;
}

/** Writes one audit row for `actor` on `workflowId`, inside `executor`'s transaction when given one. */
export type AuditWriter = (
  executor: Db,
  actor: Actor,
  workflowId: string,
  action: string,
  details?: Record<string, unknown>,
) => Promise<void>;

/** The audit writer stamping rows with `now()`. */
export function auditWriter(now: () => string): AuditWriter {
  return async (executor, actor, workflowId, action, details = {}) => {
    await insertAudit(executor, {
      workflow_id: workflowId,
      action,
      actor_id: actor.principal.userId,
      actor_username: actor.principal.username,
      client_ip: actor.clientIp,
      details,
      created_at: now(),
    });
  };
}
