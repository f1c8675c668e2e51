/**
 * @module store/migrations/2026-11-27-0002-executions
 * Executions: one row per run, written `queued` before any answer carries its id, then updated
 * at node boundaries with the node states and the checkpoint a restart resumes from. Frozen.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('executions')
    .addColumn('execution_id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('workflow_version', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trigger_source', 'text', (c) => c.notNull())
    .addColumn('trigger_node_ids', 'text')
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('test_mode', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('entity_id', 'bigint')
    .addColumn('community_id', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text')
    .addColumn('end_time', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('execution_time_ms', 'integer')
    .addColumn('execution_path', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('node_states', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('final_variables', 'text')
    .addColumn('final_output', 'text')
    .addColumn('outbox', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('error_message', 'text')
    .addColumn('error_node_id', 'text')
    .addColumn('checkpoint', 'text')
    .addColumn('metrics', 'text')
    .addColumn('nodes_executed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('nodes_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('executions_workflow_list')
    .on('executions')
    .columns(['workflow_id', 'test_mode', 'queued_at'])
    .execute();
  // Start-up recovery finds unfinished runs without scanning history.
  await db.schema.createIndex('executions_status').on('executions').column('status').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('executions').execute();
}
