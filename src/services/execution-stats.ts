/**
 * @module services/execution-stats
 * `GET /api/v1/workflows/:id/stats` (PRODUCT.md §5): one bucket per UTC hour of the window, the
 * current hour last, with counts by status and p50/p95 of the execution time. Hours without runs
 * are filled in here so clients draw a steady axis.
 */
import type { Db } from '../store/database.ts';
import { type HourStatsRow, hourlyExecutionStats } from '../store/execution-stats-repository.ts';

export const STATS_MAX_HOURS = 168;
const HOUR_MS = 3_600_000;

export interface HourBucket {
  /** Start of the hour, ISO-8601 UTC. */
  readonly hour: string;
  readonly counts: { queued: number; running: number; completed: number; failed: number; cancelled: number };
  readonly total: number;
  readonly p50_seconds: number | null;
  readonly p95_seconds: number | null;
}

export interface WorkflowStats {
  readonly workflow_id: string;
  readonly hours: number;
  readonly from: string;
  readonly to: string;
  readonly buckets: HourBucket[];
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms) / 1000;
}

function bucketOf(hourStart: Date, row: HourStatsRow | undefined): HourBucket {
  const counts = {
    queued: row?.queued ?? 0,
    running: row?.running ?? 0,
    completed: row?.completed ?? 0,
    failed: row?.failed ?? 0,
    cancelled: row?.cancelled ?? 0,
  };
  return {
    hour: hourStart.toISOString(),
    counts,
    total: counts.queued + counts.running + counts.completed + counts.failed + counts.cancelled,
    p50_seconds: seconds(row?.p50_ms ?? null),
    p95_seconds: seconds(row?.p95_ms ?? null),
  };
}

export async function workflowStats(
  db: Db,
  workflowId: string,
  hours: number,
  now = new Date(),
): Promise<WorkflowStats> {
  const currentHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const from = new Date(currentHour - (hours - 1) * HOUR_MS);
  const rows = await hourlyExecutionStats(db, workflowId, from.toISOString());
  const byHour = new Map(rows.map((row) => [row.hour, row]));
  const buckets: HourBucket[] = [];
  for (let i = 0; i < hours; i++) {
    const start = new Date(from.getTime() + i * HOUR_MS);
    buckets.push(bucketOf(start, byHour.get(start.toISOString().slice(0, 13))));
  }
  return {
    workflow_id: workflowId,
    hours,
    from: from.toISOString(),
    to: new Date(currentHour + HOUR_MS).toISOString(),
    buckets,
  };
}
