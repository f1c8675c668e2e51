/**
 * @module bench/retention-windows
 * How much of the hot path's lateness is the retention job's, on a busy machine. One process: a
 * small write transaction on the main connection is due every 2 ms (as a webhook's queued row
 * is), while 100,000 old runs are deleted in 500 ms windows that alternate with 500 ms of no
 * pruning; both kinds of window see the same background load, so the late writes of pruning
 * windows minus those of quiet windows are the job's. `npx tsx bench/retention-windows.bench.ts
 * [connection|thread] [batch]`: the deletes on the main connection, or on the SQLite worker thread
 * (what the retention feature uses on a SQLite file).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/store/connect.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { connectionRetentionStore, threadRetentionStore } from '../src/store/retention-repository.ts';
import { createSqliteThread } from '../src/store/sqlite-thread.ts';
import { endedRunRow, insertRows } from '../test/helpers/execution-rows.ts';

const OLD_ROWS = 100_000;
const WINDOW_MS = 500;
const DUE_EVERY_MS = 2;

export async function benchRetentionWindows(where: 'connection' | 'thread', batch: number, seconds = 16) {
  const dir = mkdtempSync(join(tmpdir(), 'wfc-bench-retention-windows-'));
  const file = join(dir, 'bench.db');
  const handle = openDatabase(`sqlite:${file}`);
  try {
    await migrateToLatest(handle.db);
    const cutoff = Date.now() - 40 * 86_400_000;
    await insertRows(
      handle.db,
      Array.from({ length: OLD_ROWS }, (_, i) =>
        endedRunRow('old', 1, new Date(cutoff - OLD_ROWS + i).toISOString(), (i % 2) as 0 | 1),
      ),
    );
    const store =
      where === 'thread'
        ? threadRetentionStore(handle.db, createSqliteThread(file))
        : connectionRetentionStore(handle.db);
    const queuedBefore = new Date(cutoff + 1).toISOString();
    const t0 = performance.now();
    const pruningAt = (t: number) => Math.floor((t - t0) / WINDOW_MS) % 2 === 1;
    const lateness = { pruning: [] as number[], quiet: [] as number[] };
    let stop = false;
    const hot = (async () => {
      for (let i = 0; !stop; i++) {
        const due = t0 + i * DUE_EVERY_MS;
        if (due > performance.now()) await sleep(due - performance.now());
        const id = randomUUID();
        const now = new Date().toISOString();
        await handle.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('executions')
            .values({ ...endedRunRow('hot', 1, now, 0), execution_id: id, status: 'queued' })
            .execute();
          await trx.updateTable('executions').set({ status: 'completed' }).where('execution_id', '=', id).execute();
        });
        lateness[pruningAt(due) ? 'pruning' : 'quiet'].push(performance.now() - due);
      }
    })();
    let deleted = 0;
    let testMode: 0 | 1 = 1;
    while (performance.now() - t0 < seconds * 1000) {
      if (!pruningAt(performance.now())) {
        await sleep(5);
        continue;
      }
      const started = performance.now();
      const batchDone = await store.deleteEndedRuns({ testMode, queuedBefore }, batch);
      deleted += batchDone.deleted;
      if (batchDone.deleted < batch) {
        if (testMode === 0) break;
        testMode = 0;
      }
      // The retention job's own pacing (services/retention.ts).
      await sleep(Math.max(5, Math.round((batchDone.lockMs ?? performance.now() - started) * 4)));
    }
    stop = true;
    await hot;
    await store.close();
    const over = (ms: number) =>
      lateness.pruning.filter((late) => late > ms).length - lateness.quiet.filter((late) => late > ms).length;
    return {
      where,
      batch,
      deleted,
      writes: lateness.pruning.length + lateness.quiet.length,
      extra_late_over_2ms: over(2),
      extra_late_over_5ms: over(5),
      extra_late_over_10ms: over(10),
    };
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const where = process.argv[2] === 'connection' ? 'connection' : 'thread';
  console.log(JSON.stringify(await benchRetentionWindows(where, Number(process.argv[3] ?? 50))));
}
