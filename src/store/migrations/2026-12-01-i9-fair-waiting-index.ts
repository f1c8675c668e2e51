/**
 * @module store/migrations/2026-12-01-i9-fair-waiting-index
 * An index that finds a workflow's queued runs in arrival order without walking its history: a
 * worker of the shared queue asks it before starting a run of a capped workflow, so that runs
 * start in order (FIFO per workflow). Frozen: never imports app code.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as it is.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('executions_waiting')
    .on('executions')
    .columns(['workflow_id', 'status', 'queued_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('executions_waiting').execute();
}
