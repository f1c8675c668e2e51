/**
 * @module store/sqlite-dialect
 * Kysely's SQLite dialect with transactions that take the write lock when they begin
 * (`begin immediate`). Kysely's own `begin` defers it to the first write, and a deferred
 * transaction that has read and then writes fails at once with SQLITE_BUSY (busy_timeout does not
 * apply) if another connection committed meanwhile, as the retention thread's
 * (store/sqlite-worker.ts) does. Taking the lock first makes such a transaction wait its turn.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #settings: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#settings = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#settings);
  }
}
