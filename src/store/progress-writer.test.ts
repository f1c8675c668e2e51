import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DatabaseHandle, openDatabase } from './connect.ts';
import type { NewExecutionRow } from './database.ts';
import { findExecution, insertExecution, takeOverExecution } from './executions-repository.ts';
import { migrateToLatest } from './migrate.ts';
import { createProgressWriter } from './progress-writer.ts';

describe('progress writer (group commit)', () => {
  let dir: string;
  let handle: DatabaseHandle;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wfc-progress-'));
    handle = openDatabase(`sqlite:${join(dir, 'p.db')}`);
    await migrateToLatest(handle.db);
  });
  after(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A new `queued` row, as the service inserts it. */
  function queuedRow(id: string, cancelRequested: 0 | 1 = 0): NewExecutionRow {
    const at = new Date().toISOString();
    return {
      execution_id: id,
      workflow_id: 'w',
      status: 'queued',
      trigger_source: 'api',
      request: '{}',
      metadata: '{}',
      test_mode: 0,
      cancel_requested: cancelRequested,
      queued_at: at,
      updated_at: at,
    };
  }

  async function queued(id: string) {
    await insertExecution(handle.db, queuedRow(id));
  }

  it('claims once, keeps the latest progress, and ends a run only once', async () => {
    const writer = createProgressWriter(handle.db);
    await queued('a');
    const [first, second] = await Promise.all([writer.claim('a', 't1'), writer.claim('a', 't2')]);
    assert.deepEqual([first, second], [1, undefined], 'the second claim of the same row loses');

    await Promise.all([writer.write('a', 1, { checkpoint: 'one' }), writer.write('a', 1, { checkpoint: 'two' })]);
    assert.equal((await findExecution(handle.db, 'a'))?.checkpoint, 'two');

    const ended = await writer.write('a', 1, { status: 'completed', checkpoint: null });
    assert.equal(ended, true);
    const again = await writer.write('a', 1, { status: 'failed' });
    assert.equal(again, false, 'an ended run is not ended again');
    const row = await findExecution(handle.db, 'a');
    assert.equal(row?.status, 'completed');
    assert.equal(row?.start_time, 't1');
  });

  it('inserts a run claimed in the same batch already claimed, as insert then claim would leave it', async () => {
    const writer = createProgressWriter(handle.db);
    // Same turn: both land in one batch, as a webhook whose run starts at once does.
    const [, claimed, , refused, , twice] = await Promise.all([
      writer.insert(queuedRow('fold')),
      writer.claim('fold', 't-start'),
      writer.insert(queuedRow('fold-cancelled', 1)),
      writer.claim('fold-cancelled', 't-start'),
      writer.insert(queuedRow('fold-twice')),
      Promise.all([writer.claim('fold-twice', 't1'), writer.claim('fold-twice', 't2')]),
    ]);
    assert.equal(claimed, 1);
    const stored = await findExecution(handle.db, 'fold');
    assert.equal(stored?.status, 'running');
    assert.equal(stored?.start_time, 't-start');
    assert.equal(stored?.updated_at, 't-start');
    assert.equal(stored?.resume_attempts, 1);
    assert.equal(stored?.lease_epoch, 1);
    assert.equal(refused, undefined, 'a run cancelled before its claim is not claimed');
    assert.equal((await findExecution(handle.db, 'fold-cancelled'))?.status, 'queued');
    assert.deepEqual(twice, [1, undefined], 'the second claim of the same new row loses');
    assert.equal((await findExecution(handle.db, 'fold-twice'))?.start_time, 't1');
  });

  it('refuses the writes of a lease that moved on, and lets only the new holder end the run', async () => {
    const writer = createProgressWriter(handle.db);
    await queued('f');
    const epoch = await writer.claim('f', 't1');
    assert.equal(epoch, 1);
    const taken = await takeOverExecution(handle.db, 'f', 't2');
    assert.equal(taken?.lease_epoch, 2);
    assert.equal(await writer.write('f', 1, { checkpoint: 'stale' }), false);
    assert.equal(await writer.write('f', 1, { status: 'completed' }), false, 'the old holder cannot end it');
    assert.equal(await writer.write('f', 2, { checkpoint: 'current' }), true);
    // Both leases in one batch: only the newer one's write lands.
    const [stale, current] = await Promise.all([
      writer.write('f', 1, { checkpoint: 'stale again' }),
      writer.write('f', 2, { status: 'completed', checkpoint: null }),
    ]);
    assert.deepEqual([stale, current], [false, true]);
    const row = await findExecution(handle.db, 'f');
    assert.equal(row?.status, 'completed');
    assert.equal(row?.lease_epoch, 2);
  });

  it('does not claim a run whose cancel was requested', async () => {
    const writer = createProgressWriter(handle.db);
    await queued('b');
    await handle.db.updateTable('executions').set({ cancel_requested: 1 }).where('execution_id', '=', 'b').execute();
    assert.equal(await writer.claim('b', 't'), undefined);
  });

  it('rejects every waiter of a batch that fails, and later batches still commit', async () => {
    const writer = createProgressWriter(handle.db);
    await queued('c');
    // A value SQLite cannot bind fails the whole batch.
    const failing = writer.write('c', 0, { checkpoint: { not: 'bindable' } as unknown as string });
    const sibling = writer.write('c', 0, { updated_at: 'x' });
    await assert.rejects(failing);
    await assert.rejects(sibling);
    assert.equal(await writer.claim('c', 't'), 1);
    await writer.write('c', 1, { checkpoint: 'ok' });
    assert.equal((await findExecution(handle.db, 'c'))?.checkpoint, 'ok');
  });
});
