/**
 * @module runs/stats-chart
 * `GET …/stats` buckets → the overview's bar chart: one stacked bar per hour (status segments as
 * fractions of the tallest hour), hour labels in the viewer's time zone, the p50/p95 line points
 * and the window's totals. Missing hours (a sparse answer) are filled with empty bars.
 */
import type { StatsBucket, WorkflowStats } from '../api/runs-api.ts';

export const STAT_STATUSES = ['completed', 'failed', 'cancelled', 'running', 'queued'] as const;
export type StatStatus = (typeof STAT_STATUSES)[number];

/** The wire shapes of GET …/stats (the route's schema). */
export type { StatsBucket, WorkflowStats };

export interface ChartSegment {
  readonly status: StatStatus;
  readonly count: number;
  /** 0..1 of the chart height, from the bottom. */
  readonly y0: number;
  readonly y1: number;
}

export interface ChartBar {
  readonly hour: string;
  readonly label: string;
  readonly total: number;
  readonly segments: readonly ChartSegment[];
  readonly p50: number | null;
  readonly p95: number | null;
  readonly title: string;
}

export interface StatsChart {
  readonly bars: readonly ChartBar[];
  readonly maxTotal: number;
  readonly totals: Readonly<Record<StatStatus, number>> & { readonly all: number };
  /** Slowest hour's p95, the scale of the duration line. */
  readonly maxP95: number | null;
  readonly successRate: number | null;
}

const HOUR_MS = 3_600_000;

function emptyBucket(hour: string): StatsBucket {
  return {
    hour,
    counts: { completed: 0, failed: 0, cancelled: 0, running: 0, queued: 0 },
    total: 0,
    p50_seconds: null,
    p95_seconds: null,
  };
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Number(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export function shapeStats(stats: WorkflowStats, timeZone?: string): StatsChart {
  const byHour = new Map(stats.buckets.map((b) => [new Date(b.hour).toISOString(), b]));
  const from = Date.parse(stats.from);
  const hourLabel = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
  const buckets: StatsBucket[] = [];
  for (let i = 0; i < stats.hours; i++) {
    const hour = new Date(from + i * HOUR_MS).toISOString();
    buckets.push(byHour.get(hour) ?? emptyBucket(hour));
  }
  const maxTotal = Math.max(0, ...buckets.map((b) => b.total));
  const totals = { completed: 0, failed: 0, cancelled: 0, running: 0, queued: 0, all: 0 };
  let maxP95: number | null = null;
  const bars = buckets.map((bucket) => {
    let y = 0;
    const segments: ChartSegment[] = [];
    for (const status of STAT_STATUSES) {
      const count = bucket.counts[status] ?? 0;
      totals[status] += count;
      if (count === 0) continue;
      const height = maxTotal === 0 ? 0 : count / maxTotal;
      segments.push({ status, count, y0: y, y1: y + height });
      y += height;
    }
    totals.all += bucket.total;
    if (bucket.p95_seconds !== null) maxP95 = Math.max(maxP95 ?? 0, bucket.p95_seconds);
    const label = hourLabel.format(new Date(bucket.hour));
    const parts = segments.map((s) => `${s.count} ${s.status}`).join(', ') || 'no runs';
    const timing =
      bucket.p50_seconds === null
        ? ''
        : `; p50 ${formatSeconds(bucket.p50_seconds)}, p95 ${formatSeconds(bucket.p95_seconds)}`;
    return {
      hour: bucket.hour,
      label,
      total: bucket.total,
      segments,
      p50: bucket.p50_seconds,
      p95: bucket.p95_seconds,
      title: `${label}: ${parts}${timing}`,
    };
  });
  const finished = totals.completed + totals.failed + totals.cancelled;
  return { bars, maxTotal, totals, maxP95, successRate: finished === 0 ? null : totals.completed / finished };
}
