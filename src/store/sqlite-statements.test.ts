import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { withStatementCache } from './sqlite-statements.ts';

describe('SQLite statement cache', () => {
  it('prepares each SQL text once and evicts the least recently used', () => {
    const connection = new SQLite(':memory:');
    let prepared = 0;
    const original = connection.prepare.bind(connection);
    connection.prepare = ((sql: string) => {
      prepared++;
      return original(sql);
    }) as typeof connection.prepare;
    const db = withStatementCache(connection, 2);
    db.prepare('create table t (x integer)').run([]);
    const insert = 'insert into t (x) values (?)';
    for (let i = 0; i < 5; i++) db.prepare(insert).run([i]);
    assert.equal(prepared, 2, 'the insert was prepared once for five runs');
    assert.deepEqual(db.prepare('select count(*) as n from t').all([]), [{ n: 5 }]);
    db.prepare('select 1');
    db.prepare(insert).run([9]); // evicted by the two selects: prepared again
    assert.equal(prepared, 5);
    db.close();
  });
});
