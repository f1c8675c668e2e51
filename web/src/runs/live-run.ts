/**
 * @module runs/live-run
 * Folding the live stream into what the run page draws: per node its latest status and run
 * count, the execution's status, and timeline spans built from `running` → `completed`/`failed`
 * events (the stored timeline replaces them once the run has ended). The events name the run,
 * attempt and lane of each span as the stored timeline does, so retries and parallel branches
 * are drawn live as they will be at the end; a server that sends none gets attempt 1, lane 0. Pure.
 */
import type { StreamEvent } from './live-stream.ts';
import type { RunSpan, SpanStatus } from './timeline-layout.ts';

export interface LiveRun {
  readonly status: string | null;
  readonly nodes: Readonly<Record<string, { readonly status: string; readonly runs: number }>>;
  readonly spans: readonly RunSpan[];
  readonly ended: boolean;
  readonly events: number;
}

export const EMPTY_LIVE: LiveRun = { status: null, nodes: {}, spans: [], ended: false, events: 0 };

const SPAN_END: Record<string, SpanStatus> = { completed: 'completed', failed: 'failed', cancelled: 'cancelled' };

/** The open span an end event closes: the latest open one of its node (and run and lane when named). */
function openSpanOf(spans: readonly RunSpan[], event: StreamEvent, id: string): number {
  return spans.findLastIndex(
    (s) =>
      s.node_id === id &&
      s.end_ms === null &&
      (event.run === undefined || s.run === event.run) &&
      (event.lane === undefined || s.lane === event.lane),
  );
}

function closeAt(spans: readonly RunSpan[], index: number, at: number, status: SpanStatus): RunSpan[] {
  const copy = spans.slice();
  copy[index] = { ...copy[index], end_ms: Math.max(copy[index].start_ms, at), status };
  return copy;
}

export function applyLiveEvent(state: LiveRun, event: StreamEvent, final: boolean, startMs: number): LiveRun {
  const at = Date.parse(event.at) - startMs;
  if (final || event.node_id === null) {
    const cut = SPAN_END[event.status] ?? 'failed';
    const spans = state.spans.map((s) =>
      s.end_ms === null ? { ...s, end_ms: Math.max(s.start_ms, at), status: cut } : s,
    );
    return { ...state, status: event.status, spans, ended: final, events: state.events + 1 };
  }
  const id = event.node_id;
  const previous = state.nodes[id];
  let spans = state.spans;
  let runs = previous?.runs ?? 0;
  // A failed attempt that is retried leaves the node running (as its stored state is).
  const status = event.retrying ? 'running' : event.status;
  if (event.status === 'running') {
    const attempt = event.attempt ?? 1;
    // A retry is the same run again, not a new one.
    const run = event.run ?? (attempt > 1 ? Math.max(runs, 1) : runs + 1);
    runs = Math.max(runs, run);
    if (attempt > 1) {
      // Its failed attempt was missed (an older server, a lost frame): it ended where this began.
      const open = openSpanOf(spans, event, id);
      if (open >= 0) spans = closeAt(spans, open, at, 'failed');
    }
    spans = [
      ...spans,
      { node_id: id, run, attempt, lane: event.lane ?? 0, start_ms: Math.max(0, at), end_ms: null, status: 'running' },
    ];
  } else if (SPAN_END[event.status]) {
    const open = openSpanOf(spans, event, id);
    if (open >= 0) spans = closeAt(spans, open, at, SPAN_END[event.status]);
    else if (runs === 0) runs = event.run ?? 1;
  }
  return {
    ...state,
    status: state.status ?? 'running',
    nodes: { ...state.nodes, [id]: { status, runs } },
    spans,
    events: state.events + 1,
  };
}
