/**
 * @module test/helpers/database
 * A database of its own for each test: a fresh SQLite file, or a fresh PostgreSQL schema on the
 * machine's server, chosen by TEST_DATABASE (sqlite | postgres). Dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../../src/store/connect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

export const TEST_DIALECT = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly url: string;
  readonly schema?: string;
  readonly dataDir: string;
  cleanup(): Promise<void>;
}

export async function createTestDatabase(dialect: 'sqlite' | 'postgres' = TEST_DIALECT): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wfc-test-'));
  if (dialect === 'sqlite') {
    return {
      url: `sqlite:${join(dataDir, 'test.db')}`,
      dataDir,
      async cleanup() {
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    url: POSTGRES_URL,
    schema,
    dataDir,
    async cleanup() {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A Kysely handle on the test database with every migration applied. The migration bookkeeping
 * stays in the test's own schema: Kysely otherwise looks for it in every schema and mistakes
 * another test's tables for its own.
 */
export async function openMigratedDatabase(database: TestDatabase): Promise<DatabaseHandle> {
  const handle = openDatabase(database.url, { schema: database.schema });
  await migrateToLatest(handle.db, database.schema);
  return handle;
}
