/**
 * @module store/migrations/2026-12-01-i14-scale-lease
 * The lease epoch of a run: each claim (or takeover) of an execution raises it, and every write of
 * the run holds only while it is still the epoch the writer claimed (a fencing token), so a worker
 * that lost its lease cannot overwrite the run's new holder. Frozen: never imports app code.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('executions')
    .addColumn('lease_epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('executions').dropColumn('lease_epoch').execute();
}
