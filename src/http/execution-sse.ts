/**
 * @module http/execution-sse
 * The live view of a run for REST clients: Server-Sent Events carrying the same node events as
 * gRPC `WatchExecution`, with keep-alive comments for proxies and the lag limit of
 * services/watch-sink.ts. The route that answers with it is in http/routes/executions.ts.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { ExecutionEvent } from '../services/execution-types.ts';
import { createWatchSink, LAGGED_STATUS } from '../services/watch-sink.ts';

export interface SseOptions {
  /** How often an idle stream sends a comment so proxies keep it open. */
  readonly keepAliveMs?: number;
  /** Unsent bytes a watcher may fall behind before it gets `lagged` and is closed (STREAM_LAG_LIMIT_BYTES). */
  readonly lagLimitBytes?: number;
}

/** Starts watching one run with `listener`; resolves with its unsubscribe. */
export type WatchStart = (listener: (event: ExecutionEvent) => void) => Promise<() => void>;

/** One SSE frame: `event: node` for node events, `event: end` for the final one, `event: lagged` for a cut-off. */
// Every watcher of a run gets the same live event object: its frame is written once, not once a watcher.
const frames = new WeakMap<ExecutionEvent, string>();

export function sseFrame(event: ExecutionEvent): string {
  const known = frames.get(event);
  if (known !== undefined) return known;
  const { final, ...payload } = event;
  const name = event.status === LAGGED_STATUS ? LAGGED_STATUS : final ? 'end' : 'node';
  const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
  frames.set(event, frame);
  return frame;
}

/** How long a lagged watcher's connection may take to read its notice before it is cut. */
const LAGGED_GRACE_MS = 5000;

/**
 * Answers `reply` with the event stream of the watch `start` opens. A refused watch (429, 404)
 * throws before any header is set, so it is answered as the error it is.
 */
export async function sendExecutionEvents(reply: FastifyReply, start: WatchStart, options: SseOptions) {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const lagLimitBytes = options.lagLimitBytes ?? 1024 * 1024;
  const stream = new PassThrough();
  let unsubscribe: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  const finish = () => {
    if (timer) clearInterval(timer);
    timer = null;
    unsubscribe?.();
    unsubscribe = null;
    if (!stream.writableEnded) stream.end();
  };
  const sink = createWatchSink<string>(
    {
      write: (frame) => stream.write(frame),
      onDrain: (listener) => stream.on('drain', listener),
      // The listener may run inside watch(); let it return before tearing down.
      end: (last) => {
        stream.write(last);
        queueMicrotask(finish);
      },
    },
    {
      frame: sseFrame,
      sizeOf: (frame) => frame.length,
      lagLimitBytes,
      // A reader that never reads would keep its socket buffers: cut it once the notice had its chance.
      onLagged: () => setTimeout(() => reply.raw.destroy(), LAGGED_GRACE_MS).unref(),
    },
  );
  // Listened for before the subscription: a client gone while it starts must still release it.
  let gone = false;
  reply.raw.once('close', () => {
    gone = true;
    finish();
  });
  unsubscribe = await start((event) => sink.push(event));
  if (sink.closed || gone || reply.raw.destroyed) queueMicrotask(finish);
  else {
    timer = setInterval(() => {
      if (stream.writableNeedDrain) return;
      stream.write(': keep-alive\n\n');
    }, keepAliveMs);
    timer.unref();
  }
  reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no');
  return reply.send(stream);
}
