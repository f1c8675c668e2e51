/**
 * @module services/trigger-sync
 * Fills the trigger index from the database: at start from every active workflow's latest
 * published version, and (when several processes share one database) periodically from the
 * workflows changed since the last pass, so a publish or archive made by another process reaches
 * this one's index within a few seconds. In one process, publish/archive hooks keep it exact.
 */

import type { WorkflowNode } from '../core/workflow.ts';
import type { Db } from '../store/database.ts';
import type { WorkflowSnapshot } from '../store/workflows-repository.ts';
import { type TriggerIndex, triggersOf } from './trigger-index.ts';

const PAGE_SIZE = 500;

/** Indexes one page of workflows at a time, by workflow id, so a large install does not load everything at once. */
export async function loadAllTriggers(db: Db, index: TriggerIndex): Promise<number> {
  let after = '';
  let loaded = 0;
  for (;;) {
    const rows = await db
      .selectFrom('workflows')
      .innerJoin('workflow_versions', (join) =>
        join
          .onRef('workflow_versions.workflow_id', '=', 'workflows.workflow_id')
          .onRef('workflow_versions.version', '=', 'workflows.published_version'),
      )
      .where('workflows.status', '=', 'active')
      .where('workflows.workflow_id', '>', after)
      .select([
        'workflows.workflow_id',
        'workflows.entity_id',
        'workflows.community_id',
        'workflow_versions.version',
        'workflow_versions.snapshot',
      ])
      .orderBy('workflows.workflow_id')
      .limit(PAGE_SIZE)
      .execute();
    for (const row of rows) {
      indexVersion(index, row, row.version, (JSON.parse(row.snapshot) as WorkflowSnapshot).nodes);
    }
    loaded += rows.length;
    if (rows.length < PAGE_SIZE) return loaded;
    after = rows[rows.length - 1].workflow_id;
  }
}

/**
 * Brings the index up to date with workflows whose row changed at or after `since` (ISO time):
 * archived ones leave it, ones published at a version the index does not hold are re-read.
 */
export async function syncChangedTriggers(db: Db, index: TriggerIndex, since: string): Promise<void> {
  const changed = await db
    .selectFrom('workflows')
    .where('updated_at', '>=', since)
    .select(['workflow_id', 'entity_id', 'community_id', 'status', 'published_version'])
    .execute();
  for (const row of changed) {
    if (row.status !== 'active' || row.published_version === null) {
      index.remove(row.workflow_id);
      continue;
    }
    if (index.versionOf(row.workflow_id) === row.published_version) continue;
    const version = await db
      .selectFrom('workflow_versions')
      .where('workflow_id', '=', row.workflow_id)
      .where('version', '=', row.published_version)
      .select(['snapshot'])
      .executeTakeFirst();
    if (!version) continue;
    indexVersion(index, row, row.published_version, (JSON.parse(version.snapshot) as WorkflowSnapshot).nodes);
  }
}

/** Puts one published version's triggers in the index, replacing the workflow's earlier ones. */
export function indexVersion(
  index: TriggerIndex,
  workflow: { readonly workflow_id: string; readonly entity_id: number; readonly community_id: number | null },
  version: number,
  nodes: Readonly<Record<string, WorkflowNode>>,
): void {
  const identity = {
    workflowId: workflow.workflow_id,
    entityId: workflow.entity_id,
    communityId: workflow.community_id,
    version,
  };
  index.replace(workflow.workflow_id, workflow.entity_id, version, triggersOf(identity, nodes));
}
