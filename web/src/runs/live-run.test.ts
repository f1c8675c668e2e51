import { describe, expect, it } from 'vitest';
import { applyLiveEvent, EMPTY_LIVE, type LiveRun } from './live-run.ts';
import { openLiveStream, parseSse, type StreamEvent } from './live-stream.ts';
import { layoutTimeline, type RunSpan } from './timeline-layout.ts';

const START = Date.parse('2026-12-01T10:00:00.000Z');
const at = (ms: number) => new Date(START + ms).toISOString();
const ev = (node_id: string | null, status: string, ms: number): StreamEvent => ({
  execution_id: 'e1',
  node_id,
  status,
  at: at(ms),
});

function fold(events: ReadonlyArray<[StreamEvent, boolean]>): LiveRun {
  return events.reduce((state, [event, final]) => applyLiveEvent(state, event, final, START), EMPTY_LIVE);
}

describe('applyLiveEvent', () => {
  it('tracks node states and builds one span per run', () => {
    const state = fold([
      [ev('t', 'running', 0), false],
      [ev('t', 'completed', 2), false],
      [ev('wait', 'running', 2), false],
    ]);
    expect(state.nodes).toEqual({ t: { status: 'completed', runs: 1 }, wait: { status: 'running', runs: 1 } });
    expect(state.spans.map((s) => [s.node_id, s.start_ms, s.end_ms, s.status])).toEqual([
      ['t', 0, 2, 'completed'],
      ['wait', 2, null, 'running'],
    ]);
    const ended = applyLiveEvent(state, ev(null, 'cancelled', 900), true, START);
    expect(ended.ended).toBe(true);
    expect(ended.status).toBe('cancelled');
    expect(ended.spans[1]).toMatchObject({ end_ms: 900, status: 'cancelled' });
  });

  it('counts loop runs', () => {
    const events: Array<[StreamEvent, boolean]> = [];
    for (let i = 0; i < 3; i++)
      events.push([ev('b', 'running', i * 10), false], [ev('b', 'completed', i * 10 + 5), false]);
    const state = fold(events);
    expect(state.nodes.b.runs).toBe(3);
    expect(state.spans.map((s) => s.run)).toEqual([1, 2, 3]);
  });
});

/**
 * A run as its stored timeline has it: `call` on one parallel branch (record lane 4) failing twice
 * before it succeeds, `wait` on the other (lane 5), then `end` on the main line after both.
 */
const STORED: RunSpan[] = [
  { node_id: 't', run: 1, attempt: 1, lane: 0, start_ms: 0, end_ms: 1, status: 'completed' },
  { node_id: 'fork', run: 1, attempt: 1, lane: 0, start_ms: 1, end_ms: 2, status: 'completed' },
  { node_id: 'call', run: 1, attempt: 1, lane: 4, start_ms: 2, end_ms: 10, status: 'failed' },
  { node_id: 'wait', run: 1, attempt: 1, lane: 5, start_ms: 2, end_ms: 100, status: 'completed' },
  { node_id: 'call', run: 1, attempt: 2, lane: 4, start_ms: 30, end_ms: 40, status: 'failed' },
  { node_id: 'call', run: 1, attempt: 3, lane: 4, start_ms: 80, end_ms: 90, status: 'completed' },
  { node_id: 'end', run: 1, attempt: 1, lane: 0, start_ms: 100, end_ms: 101, status: 'completed' },
];

/** The live events the engine sends for those spans, in time order. */
function liveEventsOf(spans: readonly RunSpan[]): StreamEvent[] {
  const timed: Array<[number, StreamEvent]> = [];
  for (const span of spans) {
    const of = { run: span.run, attempt: span.attempt, lane: span.lane };
    timed.push([span.start_ms, { ...ev(span.node_id, 'running', span.start_ms), ...of }]);
    const retried = spans.some((s) => s.node_id === span.node_id && s.run === span.run && s.attempt > span.attempt);
    const end = span.end_ms ?? 0;
    timed.push([end, { ...ev(span.node_id, span.status, end), ...of, ...(retried ? { retrying: true } : {}) }]);
  }
  return timed.sort((a, b) => a[0] - b[0]).map(([, event]) => event);
}

describe('live timeline of retries and parallel branches', () => {
  it('gives the layout the stored record gives', () => {
    const live = fold(liveEventsOf(STORED).map((event) => [event, false]));
    const labels = { call: 'Call API' };
    const fromLive = layoutTimeline(live.spans, { labels });
    const fromStored = layoutTimeline(STORED, { labels });
    expect(fromLive).toEqual(fromStored);
    // What the reader sees: one run of `call` with two retries on a branch of its own.
    const call = fromLive.rows.find((row) => row.nodeId === 'call');
    expect(call).toMatchObject({ runs: 1, retries: 2 });
    expect(call?.bars.map((bar) => [bar.attempt, bar.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    const wait = fromLive.rows.find((row) => row.nodeId === 'wait');
    expect(fromLive.lanes).toEqual([0, 1, 2]);
    expect(new Set([call?.lane, wait?.lane])).toEqual(new Set([1, 2]));
    expect(live.nodes.call).toEqual({ status: 'completed', runs: 1 });
  });

  it('keeps a node between attempts running, its failed attempt closed', () => {
    const events = liveEventsOf(STORED).filter((event) => Date.parse(event.at) - START <= 20);
    const live = fold(events.map((event) => [event, false]));
    expect(live.nodes.call).toEqual({ status: 'running', runs: 1 });
    expect(live.spans.filter((s) => s.node_id === 'call')).toEqual([STORED[2]]);
  });

  it('closes a missed failed attempt where the next attempt starts', () => {
    const events = liveEventsOf(STORED).filter((event) => !(event.node_id === 'call' && event.retrying));
    const live = fold(events.map((event) => [event, false]));
    const call = live.spans.filter((s) => s.node_id === 'call');
    expect(call.map((s) => [s.attempt, s.end_ms, s.status])).toEqual([
      [1, 30, 'failed'],
      [2, 80, 'failed'],
      [3, 90, 'completed'],
    ]);
  });
});

/**
 * One node on two parallel branches at once (record lanes 1 and 2, its runs 1 and 2), the run on
 * lane 1 retried while the one on lane 2 is still running.
 */
const TWICE: RunSpan[] = [
  { node_id: 't', run: 1, attempt: 1, lane: 0, start_ms: 0, end_ms: 1, status: 'completed' },
  { node_id: 'fork', run: 1, attempt: 1, lane: 0, start_ms: 1, end_ms: 2, status: 'completed' },
  { node_id: 'call', run: 1, attempt: 1, lane: 1, start_ms: 2, end_ms: 10, status: 'failed' },
  { node_id: 'call', run: 2, attempt: 1, lane: 2, start_ms: 3, end_ms: 50, status: 'completed' },
  { node_id: 'call', run: 1, attempt: 2, lane: 1, start_ms: 20, end_ms: 30, status: 'completed' },
];

describe('one node on two branches at once', () => {
  it('closes only the span of the branch an event names', () => {
    const live = fold(liveEventsOf(TWICE).map((event) => [event, false]));
    expect(layoutTimeline(live.spans)).toEqual(layoutTimeline(TWICE));
    expect(live.nodes.call).toEqual({ status: 'completed', runs: 2 });
  });

  it('leaves the other branch running while the retried one starts again', () => {
    const events = liveEventsOf(TWICE).filter((event) => Date.parse(event.at) - START <= 20);
    const live = fold(events.map((event) => [event, false]));
    expect(live.spans.filter((s) => s.node_id === 'call').map((s) => [s.run, s.attempt, s.lane, s.status])).toEqual([
      [1, 1, 1, 'failed'],
      [2, 1, 2, 'running'],
      [1, 2, 1, 'running'],
    ]);
  });

  it('closes a missed failed attempt on its own branch only', () => {
    // Its failed attempt ends where the next one starts; the run on lane 2 is left as it is.
    const events = liveEventsOf(TWICE).filter((event) => !event.retrying);
    const live = fold(events.map((event) => [event, false]));
    expect(live.spans).toEqual(TWICE.map((s) => (s.attempt === 1 && s.status === 'failed' ? { ...s, end_ms: 20 } : s)));
  });
});

describe('a watcher who arrives late', () => {
  it('takes the lane of a span told from the record once its node names it', () => {
    // The record tells `wait` running with nothing more; its end event names its branch.
    const live = fold([
      [ev('wait', 'running', 2), false],
      [{ ...ev('wait', 'completed', 100), run: 1, attempt: 1, lane: 5 }, false],
    ]);
    expect(live.spans).toEqual([STORED[3]]);
  });
});

describe('parseSse', () => {
  it('splits frames, skips comments and keeps the incomplete rest', () => {
    const { frames, rest } = parseSse(': keep-alive\n\nevent: node\ndata: {"a":1}\n\nevent: end\ndata: {"b"');
    expect(frames).toEqual([{ event: 'node', data: '{"a":1}' }]);
    expect(rest).toBe('event: end\ndata: {"b"');
  });
});

function sseBody(frames: string[], close: boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      if (close) controller.close();
      else controller.error(new Error('connection reset'));
    },
  });
}

const frame = (event: StreamEvent, final = false) =>
  `event: ${final ? 'end' : 'node'}\ndata: ${JSON.stringify(event)}\n\n`;

describe('openLiveStream', () => {
  it('sends the token as a header, reconnects after a drop and starts over with the replay', async () => {
    const calls: Array<{ url: string; auth: string | null }> = [];
    const bodies = [
      sseBody([frame(ev('t', 'running', 0)), frame(ev('t', 'completed', 1))], false),
      sseBody(
        [
          frame(ev('t', 'running', 0)),
          frame(ev('t', 'completed', 1)),
          frame(ev('d', 'running', 1)),
          frame(ev('d', 'completed', 2001)),
          frame(ev(null, 'completed', 2002), true),
        ],
        true,
      ),
    ];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, auth: new Headers(init.headers).get('authorization') });
      return new Response(bodies.shift(), { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }) as typeof fetch;
    let state = EMPTY_LIVE;
    let opens = 0;
    await new Promise<void>((resolve, reject) => {
      openLiveStream(
        { url: '/api/v1/workflows/executions/e1/events', token: () => 'tkn', fetch: fakeFetch, retryMs: 1 },
        {
          onOpen: () => {
            opens++;
            state = EMPTY_LIVE;
          },
          onEvent: (event, final) => {
            state = applyLiveEvent(state, event, final, START);
            if (final) resolve();
          },
          onError: reject,
        },
      );
    });
    expect(opens).toBe(2);
    expect(calls).toEqual([
      { url: '/api/v1/workflows/executions/e1/events', auth: 'Bearer tkn' },
      { url: '/api/v1/workflows/executions/e1/events', auth: 'Bearer tkn' },
    ]);
    expect(state.status).toBe('completed');
    expect(state.spans.map((s) => s.node_id)).toEqual(['t', 'd']);
    expect(state.nodes.t.runs).toBe(1);
  });

  it('takes a lagged frame as a drop: no node event, a new connection that replays the run', async () => {
    const lagged = `event: lagged\ndata: ${JSON.stringify(ev(null, 'lagged', 5))}\n\n`;
    const bodies = [
      sseBody([frame(ev('t', 'running', 0)), lagged], true),
      sseBody(
        [frame(ev('t', 'running', 0)), frame(ev('t', 'completed', 1)), frame(ev(null, 'completed', 2), true)],
        true,
      ),
    ];
    const fakeFetch = (async () =>
      new Response(bodies.shift(), { status: 200, headers: { 'content-type': 'text/event-stream' } })) as typeof fetch;
    const seen: string[] = [];
    let opens = 0;
    await new Promise<void>((resolve, reject) => {
      openLiveStream(
        { url: '/x', token: () => null, fetch: fakeFetch, retryMs: 1 },
        {
          onOpen: () => opens++,
          onEvent: (event, final) => {
            seen.push(event.status);
            if (final) resolve();
          },
          onError: reject,
        },
      );
    });
    expect(opens).toBe(2);
    expect(seen).toEqual(['running', 'running', 'completed', 'completed']);
  });

  it('reports a refusal with the API code and stops', async () => {
    const fakeFetch = (async () =>
      new Response(
        JSON.stringify({ success: false, error: { code: 'EXECUTION_NOT_FOUND', message: 'Execution not found' } }),
        {
          status: 404,
        },
      )) as unknown as typeof fetch;
    const error = await new Promise<{ code: string; message: string }>((resolve) => {
      openLiveStream(
        { url: '/x', token: () => null, fetch: fakeFetch },
        { onOpen() {}, onEvent() {}, onError: resolve },
      );
    });
    expect(error).toMatchObject({ code: 'EXECUTION_NOT_FOUND', message: 'Execution not found' });
  });
});
