/**
 * @module store/migrations/2026-12-01-i15-reuse-credentials
 * Credentials (encrypted field values, one key id per value) and the links between executions:
 * sub-workflow parent and depth, rerun origin. Also an index that lets retention find old runs
 * without scanning. Frozen: never imports app code.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('credentials')
    .addColumn('credential_id', 'text', (c) => c.primaryKey())
    .addColumn('entity_id', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    /** JSON: field name -> {key_id, nonce, ciphertext, tag} (base64). */
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('credentials_entity_name', ['entity_id', 'name'])
    .execute();
  await db.schema.alterTable('executions').addColumn('parent_execution_id', 'text').execute();
  await db.schema.alterTable('executions').addColumn('parent_node_id', 'text').execute();
  await db.schema
    .alterTable('executions')
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('executions').addColumn('rerun_of', 'text').execute();
  await db.schema.createIndex('executions_parent').on('executions').column('parent_execution_id').execute();
  await db.schema.createIndex('executions_age').on('executions').columns(['test_mode', 'queued_at']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('executions_age').execute();
  await db.schema.dropIndex('executions_parent').execute();
  for (const column of ['rerun_of', 'depth', 'parent_node_id', 'parent_execution_id']) {
    await db.schema.alterTable('executions').dropColumn(column).execute();
  }
  await db.schema.dropTable('credentials').execute();
}
