/**
 * @module store/migrations/2026-12-01-i9-expr-resume-attempts
 * Executions count the starts of their work (claim or resume) that no clean stop followed: a run
 * that was in flight during 3 process deaths in a row is ended instead of resumed again (a poison
 * run must not take the service down at every start). Frozen: never imports app code.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('executions')
    .addColumn('resume_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('executions').dropColumn('resume_attempts').execute();
}
