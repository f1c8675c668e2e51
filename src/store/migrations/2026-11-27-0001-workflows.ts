/**
 * @module store/migrations/2026-11-27-0001-workflows
 * Workflows, their published versions, permission grants and the audit log. Frozen: never
 * imports app code.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter.constructor.name.startsWith('Postgres');

  await db.schema
    .createTable('workflows')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entity_id', 'bigint', (c) => c.notNull())
    .addColumn('community_id', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('nodes', 'text', (c) => c.notNull())
    .addColumn('connections', 'text', (c) => c.notNull())
    .addColumn('global_variables', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('published_version', 'integer')
    .addColumn('has_unpublished_changes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('archived_at', 'text')
    .execute();
  await db.schema
    .createIndex('workflows_entity_status')
    .on('workflows')
    .columns(['entity_id', 'status', 'created_at'])
    .execute();
  await db.schema.createIndex('workflows_created_by').on('workflows').column('created_by').execute();

  await db.schema
    .createTable('workflow_versions')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.workflow_id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('workflow_versions_pk', ['workflow_id', 'version'])
    .execute();

  await db.schema
    .createTable('workflow_grants')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.workflow_id'))
    .addColumn('permission_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('can_view', 'integer', (c) => c.notNull())
    .addColumn('can_edit', 'integer', (c) => c.notNull())
    .addColumn('can_delete', 'integer', (c) => c.notNull())
    .addColumn('can_execute', 'integer', (c) => c.notNull())
    .addColumn('can_manage_permissions', 'integer', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('workflow_grants_pk', ['workflow_id', 'permission_type', 'target_id'])
    .execute();
  // Listing by entity looks grants up from the grantee's side.
  await db.schema
    .createIndex('workflow_grants_target')
    .on('workflow_grants')
    .columns(['permission_type', 'target_id'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('audit_id', postgres ? 'bigserial' : 'integer', (c) =>
      postgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_username', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_workflow').on('audit_log').columns(['workflow_id', 'audit_id']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('workflow_grants').execute();
  await db.schema.dropTable('workflow_versions').execute();
  await db.schema.dropTable('workflows').execute();
}
