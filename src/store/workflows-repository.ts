/**
 * @module store/workflows-repository
 * Workflows and their immutable published versions. Functions over a Kysely handle or
 * transaction; JSON columns are (de)serialized here and nowhere else.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { Principal } from '../core/permissions.ts';
import type {
  Connection,
  WorkflowDefinition,
  WorkflowNode,
  WorkflowSettings,
  WorkflowStatus,
} from '../core/workflow.ts';
import type { Database, Db, NewWorkflowRow, WorkflowRow, WorkflowRowUpdate } from './database.ts';
import { likePattern, offsetOf, type PageRequest } from './pagination.ts';

export interface WorkflowRecord {
  readonly workflow_id: string;
  readonly name: string;
  readonly description: string;
  readonly entity_id: number;
  readonly community_id: number | null;
  readonly created_by: string;
  readonly status: WorkflowStatus;
  readonly nodes: Record<string, WorkflowNode>;
  readonly connections: Connection[];
  readonly global_variables: Record<string, unknown>;
  readonly settings: WorkflowSettings;
  readonly version: number;
  readonly published_version: number | null;
  readonly has_unpublished_changes: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly published_at: string | null;
  readonly archived_at: string | null;
}

export interface VersionRecord {
  readonly workflow_id: string;
  readonly version: number;
  readonly snapshot: WorkflowSnapshot;
  readonly published_by: string;
  readonly published_at: string;
}

export interface WorkflowSnapshot extends WorkflowDefinition {
  readonly name: string;
  readonly description: string;
}

function toRecord(row: WorkflowRow): WorkflowRecord {
  return {
    ...row,
    status: row.status as WorkflowStatus,
    nodes: JSON.parse(row.nodes),
    connections: JSON.parse(row.connections),
    global_variables: JSON.parse(row.global_variables),
    settings: JSON.parse(row.settings),
    has_unpublished_changes: row.has_unpublished_changes === 1,
  };
}

export type NewWorkflow = Omit<WorkflowRecord, 'has_unpublished_changes'> & { has_unpublished_changes?: boolean };

function toRow(workflow: NewWorkflow): NewWorkflowRow {
  return {
    ...workflow,
    nodes: JSON.stringify(workflow.nodes),
    connections: JSON.stringify(workflow.connections),
    global_variables: JSON.stringify(workflow.global_variables),
    settings: JSON.stringify(workflow.settings),
    has_unpublished_changes: workflow.has_unpublished_changes ? 1 : 0,
  };
}

export async function insertWorkflow(db: Db, workflow: NewWorkflow): Promise<void> {
  await db.insertInto('workflows').values(toRow(workflow)).execute();
}

export async function findWorkflow(db: Db, workflowId: string): Promise<WorkflowRecord | undefined> {
  const row = await db.selectFrom('workflows').selectAll().where('workflow_id', '=', workflowId).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** What starting a run needs of a workflow, without parsing its definition. */
export type WorkflowHead = Pick<
  WorkflowRecord,
  'workflow_id' | 'status' | 'published_version' | 'entity_id' | 'community_id'
>;

export async function findWorkflowHead(db: Db, workflowId: string): Promise<WorkflowHead | undefined> {
  const row = await db
    .selectFrom('workflows')
    .select(['workflow_id', 'status', 'published_version', 'entity_id', 'community_id'])
    .where('workflow_id', '=', workflowId)
    .executeTakeFirst();
  return row ? { ...row, status: row.status as WorkflowStatus } : undefined;
}

export type WorkflowChanges = Partial<
  Pick<
    WorkflowRecord,
    | 'name'
    | 'description'
    | 'community_id'
    | 'status'
    | 'nodes'
    | 'connections'
    | 'global_variables'
    | 'settings'
    | 'version'
    | 'published_version'
    | 'has_unpublished_changes'
    | 'updated_at'
    | 'published_at'
    | 'archived_at'
  >
>;

/**
 * Writes the changes; with `expectedVersion`, only if the stored version is still that one (in the
 * same statement, so two concurrent edits cannot both pass). Answers whether a row was written.
 */
export async function updateWorkflow(
  db: Db,
  workflowId: string,
  changes: WorkflowChanges,
  expectedVersion?: number,
): Promise<boolean> {
  const update: WorkflowRowUpdate = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const column = key as keyof WorkflowRowUpdate;
    if (key === 'nodes' || key === 'connections' || key === 'global_variables' || key === 'settings') {
      (update as Record<string, unknown>)[column] = JSON.stringify(value);
    } else if (key === 'has_unpublished_changes') {
      update.has_unpublished_changes = value ? 1 : 0;
    } else {
      (update as Record<string, unknown>)[column] = value;
    }
  }
  let query = db.updateTable('workflows').set(update).where('workflow_id', '=', workflowId);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const [result] = await query.execute();
  return Number(result?.numUpdatedRows ?? 0) > 0;
}

export interface WorkflowListFilter {
  readonly entityId: number;
  readonly status?: WorkflowStatus;
  readonly search?: string;
  readonly viewer: Principal;
}

/** The rows a caller may view: owner, or any user/role/entity grant with can_view (PRODUCT.md §2). */
function viewableBy(viewer: Principal, entityId: number) {
  return (eb: ExpressionBuilder<Database, 'workflows'>) => {
    const grantWith = (type: string, targets: readonly string[]) =>
      eb.exists(
        eb
          .selectFrom('workflow_grants')
          .select('workflow_grants.workflow_id')
          .whereRef('workflow_grants.workflow_id', '=', 'workflows.workflow_id')
          .where('workflow_grants.permission_type', '=', type)
          .where('workflow_grants.target_id', 'in', targets)
          .where('workflow_grants.can_view', '=', 1),
      );
    const alternatives = [eb('workflows.created_by', '=', viewer.userId), grantWith('user', [viewer.userId])];
    if (viewer.roles.length > 0) alternatives.push(grantWith('role', viewer.roles));
    if (viewer.entities.includes(String(entityId))) alternatives.push(grantWith('entity', [String(entityId)]));
    return eb.or(alternatives);
  };
}

export async function listWorkflows(
  db: Db,
  filter: WorkflowListFilter,
  page: PageRequest,
): Promise<{ rows: WorkflowRecord[]; total: number }> {
  let query = db
    .selectFrom('workflows')
    .where('workflows.entity_id', '=', filter.entityId)
    .where(viewableBy(filter.viewer, filter.entityId));
  if (filter.status) query = query.where('workflows.status', '=', filter.status);
  if (filter.search) {
    const pattern = likePattern(filter.search);
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(workflows.name)`, 'like', sql`${pattern} escape '\\'`),
        eb(sql`lower(workflows.description)`, 'like', sql`${pattern} escape '\\'`),
      ]),
    );
  }
  const [{ total }] = await query.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await query
    .selectAll('workflows')
    .orderBy('workflows.created_at', 'desc')
    .orderBy('workflows.workflow_id')
    .limit(page.per_page)
    .offset(offsetOf(page))
    .execute();
  return { rows: rows.map(toRecord), total: Number(total) };
}

export async function insertVersion(db: Db, version: VersionRecord): Promise<void> {
  await db
    .insertInto('workflow_versions')
    .values({ ...version, snapshot: JSON.stringify(version.snapshot) })
    .execute();
}

export async function findVersion(db: Db, workflowId: string, version: number): Promise<VersionRecord | undefined> {
  const row = await db
    .selectFrom('workflow_versions')
    .selectAll()
    .where('workflow_id', '=', workflowId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? { ...row, snapshot: JSON.parse(row.snapshot) } : undefined;
}

export async function listVersions(
  db: Db,
  workflowId: string,
  page: PageRequest,
): Promise<{ rows: Omit<VersionRecord, 'snapshot'>[]; total: number }> {
  const base = db.selectFrom('workflow_versions').where('workflow_id', '=', workflowId);
  const [{ total }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await base
    .select(['workflow_id', 'version', 'published_by', 'published_at'])
    .orderBy('version', 'desc')
    .limit(page.per_page)
    .offset(offsetOf(page))
    .execute();
  return { rows, total: Number(total) };
}

/** The id of the entity's not-archived workflow with this name (the latest updated when several). */
export async function findWorkflowIdByName(db: Db, entityId: number, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('workflows')
    .select('workflow_id')
    .where('entity_id', '=', entityId)
    .where('name', '=', name)
    .where('status', '!=', 'archived')
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  return row?.workflow_id;
}
