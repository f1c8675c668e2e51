/**
 * @module store/connect
 * Opens the database named by DATABASE_URL: `sqlite:PATH` (better-sqlite3, WAL) or `postgres://…`
 * (pg pool). Callers get one Kysely handle whatever the dialect.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { CurrentSchemaPostgresDialect } from './postgres-introspection.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';
import { applySqlitePragmas } from './sqlite-pragmas.ts';
import { withStatementCache } from './sqlite-statements.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// int8 (count(*), bigint ids) as JS numbers: our counts and ids stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export interface ConnectOptions {
  /** PostgreSQL only: run every session in this schema (tests isolate themselves this way). */
  readonly schema?: string;
  readonly poolSize?: number;
}

export function openDatabase(url: string, options: ConnectOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  return openPostgres(url, options);
}

function openSqlite(path: string): DatabaseHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new SQLite(path);
  applySqlitePragmas(connection);
  return handleOf(
    new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(connection) }) }),
    'sqlite',
  );
}

function handleOf(db: Kysely<Database>, dialect: DialectName): DatabaseHandle {
  return {
    db,
    dialect,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, options: ConnectOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return handleOf(new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) }), 'postgres');
}
