/**
 * @module runs/timeline-layout
 * The Gantt of a run, as data: one row per node per branch lane, one bar per run attempt (loop
 * iterations and retries stay apart), positions as fractions of the run's length. Branch lanes
 * of the record are packed onto as few display lanes as their overlap allows, so parallel
 * branches sit side by side while the branches of successive loop iterations reuse the same lanes.
 */
import type { RunSpan } from '../api/runs-api.ts';
import { formatSeconds } from './stats-chart.ts';

/** One node run attempt, as the execution record (include_timeline=true) or the live stream gives it. */
export type { RunSpan };
export type SpanStatus = RunSpan['status'];

export interface TimelineBar {
  readonly node_id: string;
  readonly run: number;
  readonly attempt: number;
  readonly status: SpanStatus;
  readonly startMs: number;
  readonly durationMs: number;
  /** 0..1 of the timeline's length. */
  readonly left: number;
  readonly width: number;
}

export interface TimelineRow {
  readonly key: string;
  readonly nodeId: string;
  readonly label: string;
  readonly lane: number;
  readonly bars: readonly TimelineBar[];
  readonly runs: number;
  readonly retries: number;
}

export interface TimelineLayout {
  readonly rows: readonly TimelineRow[];
  /** Display lanes in use, 0 (the main line) first. */
  readonly lanes: readonly number[];
  readonly totalMs: number;
  readonly ticks: readonly { readonly ms: number; readonly left: number; readonly label: string }[];
}

export interface LayoutOptions {
  /** Run time now (ms since start): where running bars end. */
  readonly nowMs?: number;
  readonly labels?: Readonly<Record<string, string | undefined>>;
}

function endOf(span: RunSpan, nowMs: number): number {
  return Math.max(span.start_ms, span.end_ms ?? nowMs);
}

/** Record lane → display lane: the main line stays 0; other lanes take the first free one. */
export function packLanes(spans: readonly RunSpan[], nowMs: number): Map<number, number> {
  const extent = new Map<number, { start: number; end: number }>();
  for (const span of spans) {
    const seen = extent.get(span.lane);
    const end = endOf(span, nowMs);
    if (!seen) extent.set(span.lane, { start: span.start_ms, end });
    else {
      seen.start = Math.min(seen.start, span.start_ms);
      seen.end = Math.max(seen.end, end);
    }
  }
  const display = new Map<number, number>([[0, 0]]);
  const busyUntil: number[] = [];
  const order = [...extent.entries()].filter(([lane]) => lane !== 0).sort((a, b) => a[1].start - b[1].start);
  for (const [lane, { start, end }] of order) {
    let slot = busyUntil.findIndex((until) => until <= start);
    if (slot < 0) slot = busyUntil.push(end) - 1;
    else busyUntil[slot] = end;
    display.set(lane, slot + 1);
  }
  return display;
}

/**
 * Round steps (1, 2, 5 × 10^n ms) giving about `count` ticks over `totalMs`, each labelled with as
 * many decimals as its step needs (a 2 ms run reads 0, 0.5, 1, 1.5 ms, not 0, 1, 1, 2, 2 ms).
 */
export function timeTicks(totalMs: number, count = 6): { ms: number; left: number; label: string }[] {
  if (totalMs <= 0) return [{ ms: 0, left: 0, label: '0 ms' }];
  const raw = totalMs / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const decimals = Math.min(3, Math.max(0, -Math.floor(Math.log10(step))));
  const ticks: { ms: number; left: number; label: string }[] = [];
  // Multiplying, not adding, keeps float error out of the tick values.
  for (let i = 0; i * step <= totalMs + 1e-9; i++) {
    const ms = Number((i * step).toFixed(decimals));
    ticks.push({
      ms,
      left: ms / totalMs,
      label: step < 1000 ? `${ms.toFixed(decimals)} ms` : formatSeconds(ms / 1000),
    });
  }
  return ticks;
}

export function layoutTimeline(spans: readonly RunSpan[], options: LayoutOptions = {}): TimelineLayout {
  let lastEnd = 0;
  for (const span of spans) lastEnd = Math.max(lastEnd, span.end_ms ?? span.start_ms);
  const nowMs = Math.max(options.nowMs ?? lastEnd, lastEnd);
  const totalMs = Math.max(nowMs, 1);
  const display = packLanes(spans, nowMs);
  const rows = new Map<string, { nodeId: string; lane: number; first: number; bars: TimelineBar[] }>();
  for (const span of spans) {
    const lane = display.get(span.lane) ?? 0;
    const key = `${lane}:${span.node_id}`;
    let row = rows.get(key);
    if (!row) {
      row = { nodeId: span.node_id, lane, first: span.start_ms, bars: [] };
      rows.set(key, row);
    }
    const durationMs = endOf(span, nowMs) - span.start_ms;
    row.bars.push({
      node_id: span.node_id,
      run: span.run,
      attempt: span.attempt,
      status: span.status,
      startMs: span.start_ms,
      durationMs,
      left: span.start_ms / totalMs,
      width: durationMs / totalMs,
    });
  }
  const ordered = [...rows.entries()].sort((a, b) => a[1].lane - b[1].lane || a[1].first - b[1].first);
  return {
    rows: ordered.map(([key, row]) => ({
      key,
      nodeId: row.nodeId,
      label: options.labels?.[row.nodeId] || row.nodeId,
      lane: row.lane,
      bars: row.bars.sort((a, b) => a.startMs - b.startMs),
      runs: new Set(row.bars.map((bar) => bar.run)).size,
      retries: row.bars.filter((bar) => bar.attempt > 1).length,
    })),
    lanes: [...new Set(ordered.map(([, row]) => row.lane))].sort((a, b) => a - b),
    totalMs,
    ticks: timeTicks(totalMs),
  };
}
