/**
 * @module store/migrations/2026-11-27-0004-webhooks
 * Webhooks (token, signing secret, allowlist, rate limit, batched statistics) and the idempotency
 * keys of their triggers. Frozen: never imports app code.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('webhook_id', 'text', (c) => c.primaryKey())
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('workflows.workflow_id'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('require_signature', 'integer', (c) => c.notNull())
    .addColumn('ip_allowlist', 'text', (c) => c.notNull())
    .addColumn('rate_limit_max', 'integer', (c) => c.notNull())
    .addColumn('rate_limit_window', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_triggered_at', 'text')
    .addColumn('trigger_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('webhooks_workflow').on('webhooks').columns(['workflow_id', 'created_at']).execute();

  // One row per (webhook, Idempotency-Key) seen in the last 24 h: the answer a replay gets.
  await db.schema
    .createTable('webhook_idempotency')
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('execution_id', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_idempotency_pk', ['webhook_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('webhook_idempotency_created').on('webhook_idempotency').column('created_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_idempotency').execute();
  await db.schema.dropTable('webhooks').execute();
}
