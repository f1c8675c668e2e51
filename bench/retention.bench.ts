/**
 * @module bench/retention.bench
 * Does pruning history hurt the hot path? `workflow-core serve` on SQLite takes signed webhooks
 * at a fixed rate (evenly spaced, latency from when each was due) twice: first with nothing to
 * prune, then right after 100,000 runs older than EXECUTION_RETENTION_DAYS are written to its
 * database, while the retention job deletes them in batches. The p99 of both phases is compared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/store/connect.ts';
import { endedRunRow, insertRows } from '../test/helpers/execution-rows.ts';
import { pacedLoad } from './paced-load.ts';
import { startBenchServer } from './server.ts';
import { drained, signedWebhook, WEBHOOK_BODY } from './webhooks.bench.ts';

export interface RetentionBenchResult {
  readonly name: string;
  readonly rate: number;
  readonly quiet_p50_ms: number;
  readonly quiet_p99_ms: number;
  readonly pruning_p50_ms: number;
  readonly pruning_p99_ms: number;
  /** Old rows deleted while the second phase ran (it must overlap the pruning to mean anything). */
  readonly deleted_during_load: number;
  readonly prune_seconds: number;
  readonly errors: number;
}

const OLD_ROWS = 100_000;
const DAY = 86_400_000;

function oldRowsLeft(file: string, before: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from executions where queued_at < ?').get(before) as { n: number }).n;
  } finally {
    db.close();
  }
}

export async function benchRetention(durationSeconds = 25, rate = 500): Promise<RetentionBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wfc-bench-retention-'));
  const file = join(dir, 'bench.db');
  const server = await startBenchServer({
    DATABASE_URL: `sqlite:${file}`,
    EXECUTION_RETENTION_INTERVAL_SECONDS: '2',
    EXECUTION_RETENTION_PER_WORKFLOW: String(OLD_ROWS * 2),
  });
  try {
    const { workflowId, path, headers } = await signedWebhook(server);
    const load = () =>
      pacedLoad({ url: `${server.url}${path}`, method: 'POST', headers, body: WEBHOOK_BODY, rate, durationSeconds });
    for (let i = 0; i < 300; i++) await fetch(`${server.url}${path}`, { method: 'POST', headers, body: WEBHOOK_BODY });
    const quiet = await load();
    await drained(file, 120_000);

    const cutoff = new Date(Date.now() - 40 * DAY);
    const rows = Array.from({ length: OLD_ROWS }, (_, i) =>
      endedRunRow(workflowId, 123, new Date(cutoff.getTime() - OLD_ROWS + i).toISOString(), (i % 2) as 0 | 1),
    );
    const writer = openDatabase(`sqlite:${file}`);
    await insertRows(writer.db, rows);
    await writer.close();
    const pruneStarted = Date.now();
    const left = cutoff.toISOString();
    const pruning = await load();
    const deleted = OLD_ROWS - oldRowsLeft(file, left);
    while (oldRowsLeft(file, left) > 0 && Date.now() - pruneStarted < 300_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return {
      name: `webhooks at ${rate}/s while 100,000 old runs are pruned (SQLite, batches of ${process.env.EXECUTION_RETENTION_BATCH ?? 50})`,
      rate,
      quiet_p50_ms: quiet.p50_ms,
      quiet_p99_ms: quiet.p99_ms,
      pruning_p50_ms: pruning.p50_ms,
      pruning_p99_ms: pruning.p99_ms,
      deleted_during_load: deleted,
      prune_seconds: Math.round((Date.now() - pruneStarted) / 100) / 10,
      errors: quiet.errors + pruning.errors,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchRetention(), null, 2));
}
