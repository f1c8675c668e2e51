/**
 * @module store/sqlite-statements
 * Kysely's SQLite driver prepares every query anew, which costs more than running it. This wraps
 * the better-sqlite3 connection so each distinct SQL text is prepared once (bounded LRU). Safe
 * because better-sqlite3 runs a statement to completion synchronously, so one statement is never
 * used by two queries at once.
 */
import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export const STATEMENT_CACHE_SIZE = 500;

export function withStatementCache(connection: SqliteConnection, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      connection.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        // Map order is insertion order: re-inserting marks it most recently used.
        cache.delete(sql);
      } else {
        statement = connection.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement as unknown as SqliteStatement;
    },
  };
}
