import { describe, expect, it } from 'vitest';
import { layoutTimeline, packLanes, type RunSpan, timeTicks } from './timeline-layout.ts';

function span(node_id: string, start_ms: number, end_ms: number | null, extra: Partial<RunSpan> = {}): RunSpan {
  return { node_id, run: 1, attempt: 1, lane: 0, start_ms, end_ms, status: 'completed', ...extra };
}

describe('layoutTimeline', () => {
  it('draws each loop iteration as its own bar on the node row', () => {
    const spans = [span('start', 0, 1), span('loop', 1, 2)];
    for (let i = 0; i < 3; i++) spans.push(span('body', 2 + i * 10, 10 + i * 10, { run: i + 1 }));
    const layout = layoutTimeline(spans);
    expect(layout.rows.map((r) => r.nodeId)).toEqual(['start', 'loop', 'body']);
    const body = layout.rows[2];
    expect(body.bars).toHaveLength(3);
    expect(body.runs).toBe(3);
    expect(body.bars.map((b) => b.run)).toEqual([1, 2, 3]);
    expect(layout.totalMs).toBe(30);
    expect(body.bars[2].left).toBeCloseTo(22 / 30);
    expect(body.bars[2].width).toBeCloseTo(8 / 30);
  });

  it('draws retries as separate bars of the same run', () => {
    const layout = layoutTimeline([
      span('call', 0, 5, { attempt: 1, status: 'failed' }),
      span('call', 15, 20, { attempt: 2, status: 'failed' }),
      span('call', 40, 50, { attempt: 3 }),
    ]);
    const [row] = layout.rows;
    expect(row.bars.map((b) => [b.attempt, b.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    expect(row.runs).toBe(1);
    expect(row.retries).toBe(2);
  });

  it('puts concurrent parallel branches on lanes of their own, the merge back on the main line', () => {
    const layout = layoutTimeline([
      span('fork', 0, 1),
      span('a', 1, 20, { lane: 7 }),
      span('b', 1, 30, { lane: 8 }),
      span('merge', 30, 31),
    ]);
    expect(layout.lanes).toEqual([0, 1, 2]);
    expect(layout.rows.map((r) => [r.nodeId, r.lane])).toEqual([
      ['fork', 0],
      ['merge', 0],
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('reuses display lanes for branches that do not overlap (a fork inside a loop)', () => {
    const lanes = packLanes(
      [
        span('a', 0, 10, { lane: 3 }),
        span('b', 0, 12, { lane: 4 }),
        span('a', 20, 30, { lane: 9 }),
        span('b', 20, 25, { lane: 10 }),
      ],
      30,
    );
    expect([lanes.get(3), lanes.get(4), lanes.get(9), lanes.get(10)]).toEqual([1, 2, 1, 2]);
  });

  it('runs a running bar up to now', () => {
    const layout = layoutTimeline([span('t', 0, 2), span('wait', 2, null, { status: 'running' })], { nowMs: 1000 });
    const wait = layout.rows[1].bars[0];
    expect(wait.durationMs).toBe(998);
    expect(wait.left + wait.width).toBeCloseTo(1);
  });

  it('labels rows with node labels when given', () => {
    expect(layoutTimeline([span('n1', 0, 1)], { labels: { n1: 'Say hi' } }).rows[0].label).toBe('Say hi');
  });
});

describe('timeTicks', () => {
  it('picks round steps', () => {
    expect(timeTicks(1000).map((t) => t.ms)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(timeTicks(0)).toEqual([{ ms: 0, left: 0, label: '0 ms' }]);
  });

  it('labels short runs with the decimals their step needs, every label distinct', () => {
    const labels = timeTicks(2.4).map((t) => t.label);
    expect(labels).toEqual(['0.0 ms', '0.5 ms', '1.0 ms', '1.5 ms', '2.0 ms']);
    expect(timeTicks(0.3).map((t) => t.label)).toEqual([
      '0.00 ms',
      '0.05 ms',
      '0.10 ms',
      '0.15 ms',
      '0.20 ms',
      '0.25 ms',
      '0.30 ms',
    ]);
    expect(timeTicks(12_000).map((t) => t.label)).toEqual(['0 ms', '2 s', '4 s', '6 s', '8 s', '10 s', '12 s']);
  });
});
