/**
 * @module store/grants-repository
 * Per-workflow permission grants: one row per (workflow, type, target), each flag its own column.
 */
import { type Grant, type GrantType, PERMISSION_FLAGS } from '../core/permissions.ts';
import type { Db, WorkflowGrantRow } from './database.ts';

export interface GrantRecord extends Grant {
  readonly workflow_id: string;
  readonly granted_by: string;
  readonly created_at: string;
  readonly updated_at: string;
}

function toRecord(row: WorkflowGrantRow): GrantRecord {
  return {
    workflow_id: row.workflow_id,
    permission_type: row.permission_type as GrantType,
    target_id: row.target_id,
    can_view: row.can_view === 1,
    can_edit: row.can_edit === 1,
    can_delete: row.can_delete === 1,
    can_execute: row.can_execute === 1,
    can_manage_permissions: row.can_manage_permissions === 1,
    granted_by: row.granted_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function listGrants(db: Db, workflowId: string): Promise<GrantRecord[]> {
  const rows = await db
    .selectFrom('workflow_grants')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .orderBy('permission_type')
    .orderBy('target_id')
    .execute();
  return rows.map(toRecord);
}

export async function upsertGrant(db: Db, grant: GrantRecord): Promise<void> {
  const flags = Object.fromEntries(PERMISSION_FLAGS.map((flag) => [flag, grant[flag] ? 1 : 0])) as Record<
    (typeof PERMISSION_FLAGS)[number],
    0 | 1
  >;
  await db
    .insertInto('workflow_grants')
    .values({
      workflow_id: grant.workflow_id,
      permission_type: grant.permission_type,
      target_id: grant.target_id,
      ...flags,
      granted_by: grant.granted_by,
      created_at: grant.created_at,
      updated_at: grant.updated_at,
    })
    .onConflict((oc) =>
      oc
        .columns(['workflow_id', 'permission_type', 'target_id'])
        .doUpdateSet({ ...flags, granted_by: grant.granted_by, updated_at: grant.updated_at }),
    )
    .execute();
}

export async function deleteGrant(db: Db, workflowId: string, type: GrantType, targetId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('workflow_grants')
    .where('workflow_id', '=', workflowId)
    .where('permission_type', '=', type)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
