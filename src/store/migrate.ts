/**
 * @module store/migrate
 * Applies pending migrations; `serve` calls it at start and `workflow-core migrate` on its own.
 */
import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { migrations } from './migrations/index.ts';

/**
 * `schema` (PostgreSQL) names where the migration bookkeeping tables live (the session's own
 * schema; store/postgres-introspection.ts reads no other).
 */
export async function migrateToLatest<T>(db: Kysely<T>, schema?: string): Promise<readonly string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Names carry the branch that wrote them, so a new one can sort before one already applied
    // (`…-childonce-…` before `…-i14-…`): still applied, in name order, not refused as corrupt.
    // A migration therefore never relies on one whose name sorts after its own.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
