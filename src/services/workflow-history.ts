/**
 * @module services/workflow-history
 * Reading a workflow's past: its published versions (paged, or one by number) and its audit
 * trail. Read-only, apart from services/workflows.ts, which spreads these into the workflow service.
 */
import { AppError } from '../errors.ts';
import { listAudit } from '../store/audit-repository.ts';
import type { Db } from '../store/database.ts';
import { type PageRequest, paginationOf } from '../store/pagination.ts';
import { findVersion, listVersions, type VersionRecord, type WorkflowRecord } from '../store/workflows-repository.ts';

export function workflowHistory(db: Db) {
  return {
    async versions(workflow: WorkflowRecord, page: PageRequest) {
      const { rows, total } = await listVersions(db, workflow.workflow_id, page);
      return { rows, pagination: paginationOf(page, total) };
    },

    async version(workflow: WorkflowRecord, number: number): Promise<VersionRecord> {
      const found = await findVersion(db, workflow.workflow_id, number);
      if (!found) throw new AppError('NOT_FOUND', `Version ${number} of this workflow does not exist`);
      return found;
    },

    async audit(workflow: WorkflowRecord, page: PageRequest) {
      const { rows, total } = await listAudit(db, workflow.workflow_id, page);
      return { rows, pagination: paginationOf(page, total) };
    },
  };
}
