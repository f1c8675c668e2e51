/**
 * @module runs/live-run
 * Folding the live stream into what the run page draws: per node its latest status and run
 * count, the execution's status, and timeline spans built from `running` → `completed`/`failed`
 * events (the stored timeline replaces them once the run has ended). Pure.
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
  if (event.status === 'running') {
    runs++;
    spans = [
      ...spans,
      { node_id: id, run: runs, attempt: 1, lane: 0, start_ms: Math.max(0, at), end_ms: null, status: 'running' },
    ];
  } else if (SPAN_END[event.status]) {
    const open = spans.findLastIndex((s) => s.node_id === id && s.end_ms === null);
    if (open >= 0) {
      const copy = spans.slice();
      copy[open] = { ...copy[open], end_ms: Math.max(copy[open].start_ms, at), status: SPAN_END[event.status] };
      spans = copy;
    } else if (runs === 0) runs = 1;
  }
  return {
    ...state,
    status: state.status ?? 'running',
    nodes: { ...state.nodes, [id]: { status: event.status, runs } },
    spans,
    events: state.events + 1,
  };
}
