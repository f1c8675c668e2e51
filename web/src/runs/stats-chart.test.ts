import { describe, expect, it } from 'vitest';
import { formatSeconds, shapeStats, type WorkflowStats } from './stats-chart.ts';

const counts = (c: Partial<Record<'completed' | 'failed' | 'cancelled' | 'running' | 'queued', number>>) => ({
  completed: 0,
  failed: 0,
  cancelled: 0,
  running: 0,
  queued: 0,
  ...c,
});

const stats: WorkflowStats = {
  workflow_id: '5b0e4c0e-8a57-4c4e-9d1b-6f4f2a7c9e01',
  hours: 3,
  from: '2026-03-29T00:00:00.000Z',
  to: '2026-03-29T03:00:00.000Z',
  buckets: [
    {
      hour: '2026-03-29T00:00:00.000Z',
      counts: counts({ completed: 3, failed: 1 }),
      total: 4,
      p50_seconds: 0.25,
      p95_seconds: 0.85,
    },
    // the middle hour is missing: a sparse answer
    {
      hour: '2026-03-29T02:00:00.000Z',
      counts: counts({ completed: 1, running: 1 }),
      total: 2,
      p50_seconds: 2,
      p95_seconds: 2,
    },
  ],
};

describe('shapeStats', () => {
  it('stacks status segments as fractions of the busiest hour and fills missing hours', () => {
    const chart = shapeStats(stats, 'UTC');
    expect(chart.bars).toHaveLength(3);
    expect(chart.maxTotal).toBe(4);
    expect(chart.bars[0].segments).toEqual([
      { status: 'completed', count: 3, y0: 0, y1: 0.75 },
      { status: 'failed', count: 1, y0: 0.75, y1: 1 },
    ]);
    expect(chart.bars[1]).toMatchObject({ total: 0, segments: [], p50: null, title: '01:00: no runs' });
    expect(chart.bars[2].segments.map((s) => [s.status, s.y1])).toEqual([
      ['completed', 0.25],
      ['running', 0.5],
    ]);
    expect(chart.totals).toEqual({ completed: 4, failed: 1, cancelled: 0, running: 1, queued: 0, all: 6 });
    expect(chart.maxP95).toBe(2);
    expect(chart.successRate).toBeCloseTo(0.8);
    expect(chart.bars[0].title).toBe('00:00: 3 completed, 1 failed; p50 250 ms, p95 850 ms');
  });

  it('labels hours in the viewer time zone (Berlin switches to summer time at 01:00 UTC)', () => {
    expect(shapeStats(stats, 'Europe/Berlin').bars.map((b) => b.label)).toEqual(['01:00', '03:00', '04:00']);
  });

  it('has no scale and no rate without runs', () => {
    const chart = shapeStats({ ...stats, buckets: [] }, 'UTC');
    expect(chart.maxTotal).toBe(0);
    expect(chart.successRate).toBeNull();
    expect(chart.maxP95).toBeNull();
  });
});

describe('formatSeconds', () => {
  it('reads naturally', () => {
    expect([
      formatSeconds(null),
      formatSeconds(0.0421),
      formatSeconds(2.5),
      formatSeconds(42.25),
      formatSeconds(125),
    ]).toEqual(['–', '42 ms', '2.5 s', '42.3 s', '2 min 5 s']);
  });
});
