/**
 * @module store/execution-stats-repository
 * Per-hour counts by status and duration percentiles of a workflow's runs, in one aggregate
 * statement. Hours are the first 13 characters of the ISO-8601 UTC `queued_at` text
 * (`2026-12-01T06`), the same on both dialects; `percentile_cont` is PostgreSQL's ordered-set
 * aggregate there and SQLite's built-in (SQLITE_ENABLE_PERCENTILE, which better-sqlite3 compiles
 * in) here, both interpolating linearly between the two nearest durations.
 */
import { PostgresAdapter, type RawBuilder, sql } from 'kysely';
import type { Db } from './database.ts';

export interface HourStatsRow {
  /** `YYYY-MM-DDTHH` (UTC). */
  readonly hour: string;
  readonly queued: number;
  readonly running: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Over runs with a recorded duration; null when the hour has none. */
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
}

function percentile(db: Db, fraction: number): RawBuilder<number | null> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return sql`percentile_cont(${sql.lit(fraction)}) within group (order by execution_time_ms)`;
  }
  return sql`percentile_cont(execution_time_ms, ${sql.lit(fraction)})`;
}

function countOf(status: string): RawBuilder<number> {
  return sql`sum(case when status = ${sql.lit(status)} then 1 else 0 end)`;
}

/** Hours with at least one run queued at or after `sinceIso`, test runs excluded, oldest first. */
export async function hourlyExecutionStats(db: Db, workflowId: string, sinceIso: string): Promise<HourStatsRow[]> {
  const hour = sql<string>`substr(queued_at, 1, 13)`;
  const rows = await db
    .selectFrom('executions')
    .where('workflow_id', '=', workflowId)
    .where('test_mode', '=', 0)
    .where('queued_at', '>=', sinceIso)
    .select([
      hour.as('hour'),
      countOf('queued').as('queued'),
      countOf('running').as('running'),
      countOf('completed').as('completed'),
      countOf('failed').as('failed'),
      countOf('cancelled').as('cancelled'),
      percentile(db, 0.5).as('p50_ms'),
      percentile(db, 0.95).as('p95_ms'),
    ])
    .groupBy(hour)
    .orderBy(hour)
    .execute();
  return rows.map((row) => ({
    hour: row.hour,
    queued: Number(row.queued),
    running: Number(row.running),
    completed: Number(row.completed),
    failed: Number(row.failed),
    cancelled: Number(row.cancelled),
    p50_ms: row.p50_ms === null ? null : Number(row.p50_ms),
    p95_ms: row.p95_ms === null ? null : Number(row.p95_ms),
  }));
}
