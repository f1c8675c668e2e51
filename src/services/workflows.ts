/**
 * @module services/workflows
 * Workflow use cases shared by every door: create, list, read, update, archive, validate,
 * publish (immutable version snapshots), versions, audit and permission grants. Permission
 * checks go through services/access; every change writes an audit row.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { withNodeProblems } from '../core/extra-problems.ts';
import { type GrantType, mayActInEntity, type PermissionFlag, type Principal } from '../core/permissions.ts';
import { type ValidationResult, validateWorkflow } from '../core/validate.ts';
import type { Connection, WorkflowNode, WorkflowSettings, WorkflowStatus } from '../core/workflow.ts';
import { AppError, notFoundError } from '../errors.ts';
import { getNodeType } from '../nodes/registry.ts';
import { keepMaskedSecrets } from '../nodes/secret-config.ts';
import { insertAudit, listAudit } from '../store/audit-repository.ts';
import type { Db } from '../store/database.ts';
import { deleteGrant, type GrantRecord, listGrants, upsertGrant } from '../store/grants-repository.ts';
import { type PageRequest, paginationOf } from '../store/pagination.ts';
import { hasWebhooks } from '../store/webhooks-repository.ts';
import {
  findVersion,
  findWorkflow,
  insertVersion,
  insertWorkflow,
  listVersions,
  listWorkflows,
  updateWorkflow,
  type VersionRecord,
  type WorkflowChanges,
  type WorkflowRecord,
  type WorkflowSnapshot,
} from '../store/workflows-repository.ts';
import { authorizeWorkflow } from './access.ts';
import type { LicenseValidator } from './licenses.ts';
import type { WorkflowLifecycle } from './workflow-lifecycle.ts';
import { checkCallPermissions, referenceProblems } from './workflow-references.ts';

export interface Actor {
  readonly principal: Principal;
  readonly clientIp: string | null;
}

export interface CreateWorkflowInput {
  readonly name: string;
  readonly description?: string;
  readonly entity_id: number;
  readonly community_id?: number | null;
  readonly license_key?: string;
  readonly nodes?: Record<string, WorkflowNode>;
  readonly connections?: Connection[];
  readonly global_variables?: Record<string, unknown>;
  readonly settings?: WorkflowSettings;
}

export type UpdateWorkflowInput = Partial<Omit<CreateWorkflowInput, 'entity_id' | 'license_key'>> & {
  /** Write only if the stored `version` is this one (PRODUCT.md §3, concurrent edits). */
  readonly expected_version?: number;
};

export interface GrantInput {
  readonly permission_type: GrantType;
  readonly target_id: string;
  readonly can_view?: boolean;
  readonly can_edit?: boolean;
  readonly can_delete?: boolean;
  readonly can_execute?: boolean;
  readonly can_manage_permissions?: boolean;
}

export interface WorkflowServiceDeps {
  readonly db: Db;
  readonly licenses: LicenseValidator;
  readonly lifecycle: WorkflowLifecycle;
  readonly maxLoopDepth: number;
  /** MAX_CONFIG_STRING_BYTES (default 64 KiB). */
  readonly maxConfigStringBytes?: number;
  /** The credential names of an entity (validation reports unknown ones). */
  readonly credentialNames?: (entityId: number) => Promise<string[]>;
  readonly maxScheduleNodes?: number;
  readonly now?: () => Date;
}

/** Gives each connection sent without an id a stable one, so messages and edits can name it. */
function withConnectionIds(connections: readonly Connection[]): Connection[] {
  const taken = new Set(connections.map((c) => c.connection_id).filter(Boolean));
  let next = 1;
  return connections.map((connection) => {
    if (connection.connection_id) return connection;
    while (taken.has(`conn_${next}`)) next++;
    taken.add(`conn_${next}`);
    return { connection_id: `conn_${next}`, ...connection };
  });
}

/** What a publish freezes: the working definition. */
function snapshotOf(workflow: WorkflowRecord): WorkflowSnapshot {
  return {
    name: workflow.name,
    description: workflow.description,
    nodes: workflow.nodes,
    connections: workflow.connections,
    global_variables: workflow.global_variables,
    settings: workflow.settings,
  };
}

/** Equal as stored: compared after a JSON round trip, so an `undefined` field equals an absent one. */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

const EDITABLE_FIELDS = [
  'name',
  'description',
  'community_id',
  'nodes',
  'connections',
  'global_variables',
  'settings',
] as const;

export function createWorkflowService(deps: WorkflowServiceDeps) {
  const { db, licenses, lifecycle } = deps;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();

  async function audit(
    executor: Db,
    actor: Actor,
    workflowId: string,
    action: string,
    details: Record<string, unknown> = {},
  ) {
    await insertAudit(executor, {
      workflow_id: workflowId,
      action,
      actor_id: actor.principal.userId,
      actor_username: actor.principal.username,
      client_ip: actor.clientIp,
      details,
      created_at: now(),
    });
  }

  async function validationOf(
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
  }

  function refuseArchived(workflow: WorkflowRecord): void {
    if (workflow.status === 'archived') {
      throw new AppError('WORKFLOW_NOT_ACTIVE', 'Workflow is archived; archived workflows cannot be changed', {
        status: workflow.status,
      });
    }
  }

  return {
    authorize(principal: Principal, workflowId: string, needed: PermissionFlag) {
      return authorizeWorkflow(db, principal, workflowId, needed);
    },

    async create(actor: Actor, input: CreateWorkflowInput): Promise<WorkflowRecord> {
      if (!mayActInEntity(actor.principal, input.entity_id)) {
        throw new AppError('FORBIDDEN', `Not a member of entity ${input.entity_id}`, { entity_id: input.entity_id });
      }
      await licenses.check(input.community_id, input.license_key);
      const at = now();
      const workflow: WorkflowRecord = {
        workflow_id: randomUUID(),
        name: input.name,
        description: input.description ?? '',
        entity_id: input.entity_id,
        community_id: input.community_id ?? null,
        created_by: actor.principal.userId,
        status: 'draft',
        nodes: input.nodes ?? {},
        connections: withConnectionIds(input.connections ?? []),
        global_variables: input.global_variables ?? {},
        settings: input.settings ?? {},
        version: 1,
        published_version: null,
        has_unpublished_changes: true,
        created_at: at,
        updated_at: at,
        published_at: null,
        archived_at: null,
      };
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

export type WorkflowService = ReturnType<typeof createWorkflowService>;
