import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DatabaseHandle, openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';

describe('migrations on a database made before the newest ones', () => {
  let dir: string;
  let handle: DatabaseHandle;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wfc-migrate-'));
    handle = openDatabase(`sqlite:${join(dir, 'm.db')}`);
  });
  after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a new migration whose name sorts before ones already applied', async () => {
    await migrateToLatest(handle.db);
    // Migration names carry the branch that wrote them, so a later one can sort earlier: undo
    // the first by name as if the database were made before it existed.
    const names = Object.keys(migrations).sort();
    const earliest = names.find((name) => name.startsWith('2026-12-01-')) as string;
    assert.ok(names.indexOf(earliest) < names.length - 1, 'a migration sorts after it');
    await migrations[earliest].down?.(handle.db);
    await handle.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', earliest as never)
      .execute();

    assert.deepEqual(await migrateToLatest(handle.db), [earliest]);
    assert.deepEqual(await migrateToLatest(handle.db), [], 'nothing left to apply');
  });
});
