/**
 * @module store/snapshot-cache
 * Published snapshots by workflow and version, read once and kept: versions are immutable, so a
 * bounded cache never goes stale.
 */
import type { WorkflowDefinition } from '../core/workflow.ts';
import { AppError } from '../errors.ts';
import type { Db } from './database.ts';
import { findVersion } from './workflows-repository.ts';

const KEPT = 1000;

export function createSnapshotCache(db: Db) {
  const snapshots = new Map<string, WorkflowDefinition>();
  return {
    /** `source` is the caller's transaction when there is one: SQLite has one connection, which it holds. */
    async get(workflowId: string, version: number, source: Db = db): Promise<WorkflowDefinition> {
      const key = `${workflowId}@${version}`;
      const cached = snapshots.get(key);
      if (cached) return cached;
      const found = await findVersion(source, workflowId, version);
      if (!found)
        throw new AppError('WORKFLOW_NOT_FOUND', `Version ${version} of workflow ${workflowId} does not exist`);
      if (snapshots.size >= KEPT) snapshots.delete(snapshots.keys().next().value as string);
      snapshots.set(key, found.snapshot);
      return found.snapshot;
    },
  };
}

export type SnapshotCache = ReturnType<typeof createSnapshotCache>;
