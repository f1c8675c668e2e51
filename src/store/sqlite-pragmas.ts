/**
 * @module store/sqlite-pragmas
 * The settings every connection to the SQLite file runs with, the main one and the worker
 * thread's (store/sqlite-worker.ts) alike. Kept apart from connect.ts so the worker's bundle
 * carries better-sqlite3 only.
 */
import type { Database as SqliteConnection } from 'better-sqlite3';

export function applySqlitePragmas(connection: SqliteConnection): void {
  connection.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commit).
  connection.pragma('synchronous = NORMAL');
  // A second connection (the worker thread's) can hold the write lock for one statement.
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
}

/** `sqlite:PATH` → PATH; undefined for another database or an in-memory one (no second connection can reach it). */
export function sqliteFileOf(url: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  const path = url.slice('sqlite:'.length);
  return path === ':memory:' || path === '' ? undefined : path;
}
