/**
 * @module store/migrations/2026-11-27-0003-schedules
 * Schedules (one per trigger_schedule node of a published workflow) and the fire log whose
 * unique (schedule_id, scheduled_for) key makes each slot fire once across processes. Frozen:
 * never imports app code.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('schedule_id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('catch_up', 'text', (c) => c.notNull())
    .addColumn('max_executions', 'integer')
    .addColumn('workflow_version', 'integer', (c) => c.notNull())
    // ISO-8601 UTC text; null once retired (max_executions reached or the cron never fires again).
    .addColumn('next_run_at', 'text')
    .addColumn('last_run_at', 'text')
    .addColumn('last_scheduled_for', 'text')
    .addColumn('last_execution_id', 'text')
    .addColumn('run_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('schedules_workflow_node', ['workflow_id', 'node_id'])
    .execute();
  // Every scheduler tick asks for the due schedules and the earliest next run.
  await db.schema.createIndex('schedules_next_run').on('schedules').column('next_run_at').execute();

  await db.schema
    .createTable('schedule_fires')
    .addColumn('schedule_id', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'text', (c) => c.notNull())
    .addColumn('execution_id', 'text')
    .addPrimaryKeyConstraint('schedule_fires_pk', ['schedule_id', 'scheduled_for'])
    .execute();
  await db.schema.createIndex('schedule_fires_fired_at').on('schedule_fires').column('fired_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('schedule_fires').execute();
  await db.schema.dropTable('schedules').execute();
}
