/**
 * @module store/migrations/2026-12-01-childonce-parent-call-key
 * Which node run of which parent started a sub-workflow run: `<parent execution id>:<node>#<run>.<attempt>`.
 * Unique: a parent resumed after a crash finds the child its node run already started instead of
 * starting a second one, and a race cannot store two. The parent's id is part of the key (not a
 * second indexed column) so this migration needs no column of a later-sorted one. Rows without a
 * key (runs nobody called, children started before this) never collide.
 * Frozen: never imports app code.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('executions').addColumn('parent_call_key', 'text').execute();
  await db.schema.createIndex('executions_parent_call').on('executions').column('parent_call_key').unique().execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('executions_parent_call').execute();
  await db.schema.alterTable('executions').dropColumn('parent_call_key').execute();
}
