import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { openDatabase } from './connect.ts';
import { applySqlitePragmas } from './sqlite-pragmas.ts';
import { createSqliteThread } from './sqlite-thread.ts';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function databaseFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wfc-sqlite-thread-'));
  dirs.push(dir);
  const file = join(dir, 'thread.db');
  const connection = new SQLite(file);
  applySqlitePragmas(connection);
  connection.exec('create table t (id integer primary key, name text not null)');
  connection.exec("insert into t (name) values ('a'), ('b'), ('c')");
  connection.close();
  return file;
}

const raw = (sqlText: string, parameters: unknown[] = []) => CompiledQuery.raw(sqlText, parameters);

describe('SQLite worker thread', () => {
  it('runs writes and reads on its own connection to the file', async () => {
    const file = databaseFile();
    const thread = createSqliteThread(file);
    try {
      const written = await thread.write(raw('delete from t where name in (?, ?)', ['a', 'b']));
      assert.equal(written.changes, 2);
      assert.ok(written.lockMs >= 0);
      assert.deepEqual(await thread.read(raw('select name from t order by id')), [{ name: 'c' }]);
      const main = new SQLite(file, { readonly: true });
      assert.deepEqual(main.prepare('select name from t').all(), [{ name: 'c' }], 'committed for other connections');
      main.close();
    } finally {
      await thread.close();
    }
  });

  it("fails a bad statement with SQLite's message and keeps serving", async () => {
    const thread = createSqliteThread(databaseFile());
    try {
      await assert.rejects(thread.read(raw('select * from missing')), /no such table: missing/);
      assert.deepEqual(await thread.read(raw('select count(*) as n from t')), [{ n: 3 }]);
    } finally {
      await thread.close();
    }
  });

  it('fails the statements of a thread that died, and the next statement starts a new thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfc-sqlite-thread-'));
    dirs.push(dir);
    const file = join(dir, 'later', 'thread.db');
    const thread = createSqliteThread(file);
    try {
      // The folder does not exist yet: the thread cannot open its connection and dies.
      await assert.rejects(thread.write(raw('create table t (x integer)')), /directory does not exist/);
      mkdirSync(join(dir, 'later'));
      assert.equal((await thread.write(raw('create table t (x integer)'))).changes, 0);
      assert.equal((await thread.write(raw('insert into t (x) values (1)'))).changes, 1);
    } finally {
      await thread.close();
    }
  });

  it("closes its connection on close(): the last connection's close removes the WAL file", async () => {
    const file = databaseFile();
    const thread = createSqliteThread(file);
    await thread.write(raw("insert into t (name) values ('d')"));
    assert.ok(existsSync(`${file}-wal`), 'the thread holds the database open');
    await thread.close();
    assert.equal(existsSync(`${file}-wal`), false);
    await thread.close(); // a second close is a no-op
    await assert.rejects(thread.write(raw("insert into t (name) values ('e')")), /closed/);
    assert.equal(existsSync(`${file}-wal`), false, 'a statement after close() opens no connection');
  });

  it('a main-connection transaction that read before the thread wrote still commits', async () => {
    const file = databaseFile();
    const handle = openDatabase(`sqlite:${file}`);
    const thread = createSqliteThread(file);
    const observer = new SQLite(file, { readonly: true });
    const visible = () => (observer.prepare("select count(*) as n from t where name = 'x'").get() as { n: number }).n;
    try {
      let threadWrite: Promise<unknown> | undefined;
      await handle.db.transaction().execute(async (trx) => {
        await trx
          .selectFrom('t' as never)
          .selectAll()
          .execute();
        threadWrite = thread.write(raw("insert into t (name) values ('x')"));
        // A deferred transaction would let the thread commit here and then fail its own write
        // (SQLITE_BUSY, no busy wait); one that took the write lock at begin makes the thread wait.
        for (let i = 0; i < 20 && visible() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
        await trx
          .insertInto('t' as never)
          .values({ name: 'y' } as never)
          .execute();
      });
      await threadWrite;
      assert.deepEqual(
        observer.prepare('select name from t order by id').all(),
        [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'y' }, { name: 'x' }],
        "the main transaction committed first; the thread's insert waited for it",
      );
    } finally {
      observer.close();
      await thread.close();
      await handle.close();
    }
  });
});
