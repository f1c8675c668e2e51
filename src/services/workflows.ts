/**
 * @module services/workflows
 * Workflow use cases shared by every door: create, list, read, update, archive, validate,
 * publish (immutable version snapshots), versions, audit and permission grants. Permission
 * checks go through services/access; every change writes an audit row. What an edit changes and
 * a publish freezes: workflow-changes.ts; grants: workflow-grants.ts; versions and audit trail
 * reads: workflow-history.ts; validation with its references: workflow-validation.ts.
 */
import { mayActInEntity, type PermissionFlag, type Principal } from '../core/permissions.ts';
import type { ValidationResult } from '../core/validate.ts';
import type { WorkflowStatus } from '../core/workflow.ts';
import { AppError, notFoundError } from '../errors.ts';
import { keepMaskedSecrets } from '../nodes/secret-config.ts';
import type { Db } from '../store/database.ts';
import { type PageRequest, paginationOf } from '../store/pagination.ts';
import {
  findVersion,
  findWorkflow,
  insertVersion,
  insertWorkflow,
  listWorkflows,
  updateWorkflow,
  type VersionRecord,
  type WorkflowChanges,
  type WorkflowRecord,
} from '../store/workflows-repository.ts';
import { authorizeWorkflow } from './access.ts';
import { type Actor, auditWriter } from './audit-trail.ts';
import type { LicenseValidator } from './licenses.ts';
import {
  type CreateWorkflowInput,
  EDITABLE_FIELDS,
  newWorkflow,
  sameJson,
  snapshotOf,
  type UpdateWorkflowInput,
  withConnectionIds,
} from './workflow-changes.ts';
import { workflowGrants } from './workflow-grants.ts';
import { workflowHistory } from './workflow-history.ts';
import type { WorkflowLifecycle } from './workflow-lifecycle.ts';
import { checkCallPermissions } from './workflow-references.ts';
import { type WorkflowValidationDeps, workflowValidation } from './workflow-validation.ts';

export interface WorkflowServiceDeps extends WorkflowValidationDeps {
  readonly db: Db;
  readonly licenses: LicenseValidator;
  readonly lifecycle: WorkflowLifecycle;
  readonly now?: () => Date;
}

export function createWorkflowService(deps: WorkflowServiceDeps) {
  const { db, licenses, lifecycle } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  const audit = auditWriter(now);

  const validationOf = workflowValidation(db, deps);

  function refuseArchived(workflow: WorkflowRecord): void {
    if (workflow.status === 'archived') {
      throw new AppError('WORKFLOW_NOT_ACTIVE', 'Workflow is archived; archived workflows cannot be changed', {
        status: workflow.status,
      });
    }
  }

  return {
    ...workflowHistory(db),
    ...workflowGrants(db, now, audit),
    authorize(principal: Principal, workflowId: string, needed: PermissionFlag) {
      return authorizeWorkflow(db, principal, workflowId, needed);
    },

    async create(actor: Actor, input: CreateWorkflowInput): Promise<WorkflowRecord> {
      if (!mayActInEntity(actor.principal, input.entity_id)) {
        throw new AppError('FORBIDDEN', `Not a member of entity ${input.entity_id}`, { entity_id: input.entity_id });
      }
      await licenses.check(input.community_id, input.license_key);
      const at = now();
      const workflow = newWorkflow(input, actor.principal.userId, at);
      await db.transaction().execute(async (trx) => {
        await insertWorkflow(trx, workflow);
        await audit(trx, actor, workflow.workflow_id, 'created', { name: workflow.name });
      });
      return workflow;
    },

    async list(
      actor: Actor,
      filter: { entity_id: number; status?: WorkflowStatus; search?: string },
      page: PageRequest,
    ) {
      const { rows, total } = await listWorkflows(
        db,
        { entityId: filter.entity_id, status: filter.status, search: filter.search, viewer: actor.principal },
        page,
      );
      return { rows, pagination: paginationOf(page, total) };
    },

    async update(actor: Actor, workflow: WorkflowRecord, input: UpdateWorkflowInput): Promise<WorkflowRecord> {
      refuseArchived(workflow);
      const { expected_version: expected, ...fields } = input;
      const conflict = (current: number) =>
        new AppError(
          'VERSION_CONFLICT',
          `The workflow was changed meanwhile: it is at version ${current}, this edit was made on version ${expected}`,
          { version: current, expected_version: expected },
        );
      if (expected !== undefined && expected !== workflow.version) throw conflict(workflow.version);
      input = {
        ...fields,
        ...(fields.connections ? { connections: withConnectionIds(fields.connections) } : {}),
        // An editor's form sends masked secrets back as they were read: they keep their stored values.
        ...(fields.nodes ? { nodes: keepMaskedSecrets(fields.nodes, workflow.nodes) } : {}),
      };
      // `version` counts edits that change something (PRODUCT.md §3): a PUT of what is stored is none.
      const edited = EDITABLE_FIELDS.filter((key) => input[key] !== undefined && !sameJson(input[key], workflow[key]));
      if (edited.length === 0) return workflow;
      const next: WorkflowRecord = { ...workflow, ...Object.fromEntries(edited.map((key) => [key, input[key]])) };
      const latest =
        workflow.published_version === null
          ? undefined
          : await findVersion(db, workflow.workflow_id, workflow.published_version);
      const changes: WorkflowChanges = {
        ...Object.fromEntries(edited.map((key) => [key, input[key]])),
        updated_at: now(),
        version: workflow.version + 1,
        has_unpublished_changes: !latest || !sameJson(snapshotOf(next), latest.snapshot),
      };
      await db.transaction().execute(async (trx) => {
        if (!(await updateWorkflow(trx, workflow.workflow_id, changes, expected))) {
          const current = await findWorkflow(trx, workflow.workflow_id);
          throw conflict(current?.version ?? workflow.version);
        }
        await audit(trx, actor, workflow.workflow_id, 'updated', { fields: edited });
      });
      const updated = await findWorkflow(db, workflow.workflow_id);
      if (!updated) throw notFoundError('WORKFLOW_NOT_FOUND');
      return updated;
    },

    async archive(actor: Actor, workflow: WorkflowRecord): Promise<WorkflowRecord> {
      if (workflow.status === 'archived') return workflow;
      const at = now();
      const archived: WorkflowRecord = { ...workflow, status: 'archived', archived_at: at, updated_at: at };
      await db.transaction().execute(async (trx) => {
        await updateWorkflow(trx, workflow.workflow_id, { status: 'archived', archived_at: at, updated_at: at });
        await lifecycle.archived(trx, archived);
        await audit(trx, actor, workflow.workflow_id, 'archived');
      });
      await lifecycle.afterArchived(archived);
      return archived;
    },

    async validate(workflow: WorkflowRecord): Promise<ValidationResult> {
      return (await validationOf(workflow)).result;
    },

    /** Validation of a definition not stored yet, with what it refers to that is missing. */
    check: validationOf,

    /**
     * `communityId`: the body's (the reference's publish request carries one). Setting it is an
     * edit by a `can_edit` holder, as a PUT is, and makes a new version; deliveries then carry the
     * stored value, never one from a run's request (PRODUCT.md §2).
     */
    async publish(actor: Actor, workflow: WorkflowRecord, communityId?: number | null): Promise<WorkflowRecord> {
      refuseArchived(workflow);
      const { result } = await validationOf(workflow);
      if (!result.is_valid) {
        throw new AppError('VALIDATION_FAILED', `Workflow has ${result.error_count} validation error(s)`, {
          ...result,
        });
      }
      await checkCallPermissions(db, actor.principal, workflow.nodes);
      // An unchanged definition is not snapshotted again (PRODUCT.md §3).
      const communityKept = communityId === undefined || communityId === workflow.community_id;
      if (workflow.published_version !== null && communityKept && workflow.status === 'active') {
        const latest = await findVersion(db, workflow.workflow_id, workflow.published_version);
        if (latest && sameJson(snapshotOf(workflow), latest.snapshot)) return workflow;
      }
      const at = now();
      const version: VersionRecord = {
        workflow_id: workflow.workflow_id,
        version: (workflow.published_version ?? 0) + 1,
        snapshot: snapshotOf(workflow),
        published_by: actor.principal.userId,
        published_at: at,
      };
      const published: WorkflowRecord = {
        ...workflow,
        status: 'active',
        published_version: version.version,
        published_at: at,
        updated_at: at,
        has_unpublished_changes: false,
        community_id: communityId ?? workflow.community_id,
      };
      await db.transaction().execute(async (trx) => {
        await insertVersion(trx, version);
        await updateWorkflow(trx, workflow.workflow_id, {
          status: 'active',
          published_version: version.version,
          published_at: at,
          updated_at: at,
          has_unpublished_changes: false,
          community_id: published.community_id,
        });
        await lifecycle.published(trx, { workflow: published, version });
        await audit(trx, actor, workflow.workflow_id, 'published', { version: version.version });
      });
      await lifecycle.afterPublished({ workflow: published, version });
      return published;
    },
  };
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
