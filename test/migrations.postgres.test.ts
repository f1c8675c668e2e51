/**
 * Migrations on a PostgreSQL database other schemas share (tests, or several deployments on one
 * server): the migrator's look at what exists reads only the session's schema, so another schema
 * dropped at the same moment cannot fail a start with "schema … does not exist" (it failed CI).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from './helpers/database.ts';

describe('migrations beside other schemas', () => {
  let ours: TestDatabase;
  let other: TestDatabase;
  before(async () => {
    ours = await createTestDatabase('postgres');
    other = await createTestDatabase('postgres');
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create table ${other.schema}.not_ours (id serial primary key, name text)`);
    await admin.end();
  });
  after(async () => {
    await ours.cleanup();
    await other.cleanup();
  });

  it("lists the session's own tables only, with their columns", async () => {
    const handle = openDatabase(ours.url, { schema: ours.schema });
    try {
      await migrateToLatest(handle.db, ours.schema);
      const tables = await handle.db.introspection.getTables({ withInternalKyselyTables: true });
      assert.ok(tables.length > 0);
      assert.deepEqual([...new Set(tables.map((t) => t.schema))], [ours.schema]);
      assert.ok(!tables.some((t) => t.name === 'not_ours'), 'another schema’s table is not listed');
      assert.ok(tables.some((t) => t.name === 'kysely_migration'));
      const plain = await handle.db.introspection.getTables();
      assert.ok(!plain.some((t) => t.name === 'kysely_migration'), 'Kysely’s own tables only when asked');
      const workflows = tables.find((t) => t.name === 'workflows');
      assert.ok(workflows?.columns.some((c) => c.name === 'workflow_id' && !c.isNullable));
    } finally {
      await handle.close();
    }
  });

  it('starts while other schemas are created and dropped', async () => {
    const churn = new pg.Client({ connectionString: POSTGRES_URL });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      while (!stop) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        await churn.query(`create schema ${schema}; create table ${schema}.x (id serial primary key)`);
        await churn.query(`drop schema ${schema} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 30; i++) {
        const handle = openDatabase(ours.url, { schema: ours.schema });
        try {
          assert.deepEqual(await migrateToLatest(handle.db, ours.schema), [], 'already at the latest');
        } finally {
          await handle.close();
        }
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
  });
});
