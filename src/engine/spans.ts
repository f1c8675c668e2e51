/**
 * @module engine/spans
 * The run's timeline: one span per attempt of each node run (a loop body run 1,000 times gives
 * 1,000 spans; a retried run one per attempt), with the lane it ran on, in milliseconds of run
 * time. Kept beside the aggregated node states and stored once at the end, not in checkpoints,
 * so a long loop does not make every checkpoint grow; a resumed run's timeline starts at the resume.
 */
import type { Lane } from './state.ts';

/** Enough for MAX_TOTAL_OPERATIONS runs at the default; later spans are counted, not kept. */
export const MAX_SPANS = 10_000;

export const SPAN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type SpanStatus = (typeof SPAN_STATUSES)[number];

export interface RunSpan {
  readonly node_id: string;
  /** 1-based run of the node within the execution. */
  readonly run: number;
  /** 1-based attempt within that run (retries). */
  readonly attempt: number;
  /** The branch it ran on: 0 for the main line; each flow_parallel branch has its own. */
  readonly lane: number;
  readonly start_ms: number;
  end_ms: number | null;
  status: SpanStatus;
}

/** The lane a span is drawn on: a loop iteration's root lane is the lane that runs the loop. */
export function branchOf(lane: Lane): number {
  let current = lane;
  while (current.parent === null && current.frame.loop) current = current.frame.loop.lane;
  return current.parent === null ? 0 : current.id;
}

/** Where a recording keeps its spans. */
export interface SpanLog {
  readonly spans: RunSpan[];
  spansDropped: number;
}

export function openSpan(
  rec: SpanLog,
  nodeId: string,
  run: number,
  attempt: number,
  lane: number,
  startMs: number,
): RunSpan | null {
  if (rec.spans.length >= MAX_SPANS) {
    rec.spansDropped++;
    return null;
  }
  const span: RunSpan = {
    node_id: nodeId,
    run,
    attempt,
    lane,
    start_ms: round(startMs),
    end_ms: null,
    status: 'running',
  };
  rec.spans.push(span);
  return span;
}

export function closeSpan(span: RunSpan | null, status: SpanStatus, endMs: number): void {
  if (!span || span.end_ms !== null) return;
  span.end_ms = round(endMs);
  span.status = status;
}

/** End of run: spans still open were cut off by the cancel or failure that ended it. */
export function closeOpenSpans(rec: SpanLog, status: 'cancelled' | 'failed', endMs: number): void {
  for (const span of rec.spans) closeSpan(span, status, endMs);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * The node run in progress: its span (a retry replaces it), and its run and attempt numbers, kept
 * here because runs of one node reached from parallel branches share the node's state.
 */
export interface SpanTrack {
  span: RunSpan | null;
  readonly lane: number;
  run: number;
  attempt: number;
}
