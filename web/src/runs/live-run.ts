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
  /**
   * Indexes of the open spans opened from an event that named no run or lane (the record's
   * summary of a node, told to a watcher who came late): their run and lane are guesses.
   */
  readonly unnamed: readonly number[];
  readonly ended: boolean;
  readonly events: number;
}

export const EMPTY_LIVE: LiveRun = { status: null, nodes: {}, spans: [], unnamed: [], ended: false, events: 0 };

const SPAN_END: Record<string, SpanStatus> = { completed: 'completed', failed: 'failed', cancelled: 'cancelled' };

/**
 * The open span an end event closes: the latest open one of its node, run and lane; else the
 * latest one of its node whose run and lane were guessed. Never another named run's or lane's:
 * one node can run on two parallel branches at once, and the next attempt's `running` comes
 * after its failed attempt was closed, so "any open span of the node" would be the other branch.
 */
function openSpanOf(spans: readonly RunSpan[], unnamed: readonly number[], event: StreamEvent, id: string): number {
  const exact = spans.findLastIndex(
    (s) =>
      s.node_id === id &&
      s.end_ms === null &&
      (event.run === undefined || s.run === event.run) &&
      (event.lane === undefined || s.lane === event.lane),
  );
  if (exact >= 0) return exact;
  return unnamed.findLast((index) => spans[index].node_id === id && spans[index].end_ms === null) ?? -1;
}

/** Ends span `index`, taking the run, attempt and lane the end event names. */
function closeAt(spans: readonly RunSpan[], index: number, event: StreamEvent, at: number, status: SpanStatus) {
  const copy = spans.slice();
  const span = copy[index];
  copy[index] = {
    ...span,
    run: event.run ?? span.run,
    attempt: event.status === 'running' ? span.attempt : (event.attempt ?? span.attempt),
    lane: event.lane ?? span.lane,
    end_ms: Math.max(span.start_ms, at),
    status,
  };
  return copy;
}

export function applyLiveEvent(state: LiveRun, event: StreamEvent, final: boolean, startMs: number): LiveRun {
  const at = Date.parse(event.at) - startMs;
  if (final || event.node_id === null) {
    const cut = SPAN_END[event.status] ?? 'failed';
    const spans = state.spans.map((s) =>
      s.end_ms === null ? { ...s, end_ms: Math.max(s.start_ms, at), status: cut } : s,
    );
    return { ...state, status: event.status, spans, unnamed: [], ended: final, events: state.events + 1 };
  }
  const id = event.node_id;
  const previous = state.nodes[id];
  let spans = state.spans;
  let unnamed = state.unnamed;
  let runs = previous?.runs ?? 0;
  const close = (index: number, status: SpanStatus) => {
    spans = closeAt(spans, index, event, at, status);
    if (unnamed.includes(index)) unnamed = unnamed.filter((i) => i !== index);
  };
  // A failed attempt that is retried leaves the node running (as its stored state is).
  const status = event.retrying ? 'running' : event.status;
  if (event.status === 'running') {
    const attempt = event.attempt ?? 1;
    // A retry is the same run again, not a new one.
    const run = event.run ?? (attempt > 1 ? Math.max(runs, 1) : runs + 1);
    runs = Math.max(runs, run);
    if (attempt > 1) {
      // Its failed attempt was missed (an older server, a lost frame): it ended where this began.
      const open = openSpanOf(spans, unnamed, event, id);
      if (open >= 0) close(open, 'failed');
    }
    if (event.run === undefined && event.lane === undefined) unnamed = [...unnamed, spans.length];
    spans = [
      ...spans,
      { node_id: id, run, attempt, lane: event.lane ?? 0, start_ms: Math.max(0, at), end_ms: null, status: 'running' },
    ];
  } else if (SPAN_END[event.status]) {
    const open = openSpanOf(spans, unnamed, event, id);
    if (open >= 0) close(open, SPAN_END[event.status]);
    else if (runs === 0) runs = event.run ?? 1;
  }
  return {
    ...state,
    status: state.status ?? 'running',
    nodes: { ...state.nodes, [id]: { status, runs } },
    spans,
    unnamed,
    events: state.events + 1,
  };
}
