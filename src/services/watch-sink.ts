/**
 * @module services/watch-sink
 * Writes a run's events to one live watcher (SSE or gRPC WatchExecution) without letting a slow
 * reader grow memory (PRODUCT.md §10): frames are written only while the transport accepts
 * them; while it pushes back they wait here, and once more than `lagLimitBytes` wait the watcher
 * gets a final `lagged` frame and is closed.
 */
import type { ExecutionEvent } from './execution-types.ts';

export const LAGGED_STATUS = 'lagged';

export interface WatchTarget<Frame> {
  /** false: the transport's buffer is full; wait for `drain`. */
  write(frame: Frame): boolean;
  onDrain(listener: () => void): void;
  /** Ends the stream after `last`. */
  end(last: Frame): void;
}

export interface WatchSink {
  /** Hands over one event (the final one ends the stream once it is written). */
  push(event: ExecutionEvent): void;
  /** True once the stream was ended (final event or lag). */
  readonly closed: boolean;
}

export interface WatchSinkOptions<Frame> {
  readonly frame: (event: ExecutionEvent) => Frame;
  /** Bytes a frame holds (its serialized size, near enough). */
  readonly sizeOf: (frame: Frame) => number;
  readonly lagLimitBytes: number;
  /** Called once when the watcher was cut off for lagging. */
  readonly onLagged?: () => void;
}

export function laggedEvent(executionId: string, at: string): ExecutionEvent {
  return { execution_id: executionId, node_id: null, status: LAGGED_STATUS, at, output: {}, final: true };
}

export function createWatchSink<Frame>(target: WatchTarget<Frame>, options: WatchSinkOptions<Frame>): WatchSink {
  const waiting: { frame: Frame; size: number; final: boolean }[] = [];
  let waitingBytes = 0;
  let blocked = false;
  let closed = false;

  function send(frame: Frame, final: boolean): void {
    if (final) {
      closed = true;
      target.end(frame);
      return;
    }
    if (!target.write(frame)) blocked = true;
  }

  target.onDrain(() => {
    blocked = false;
    while (!blocked && !closed && waiting.length > 0) {
      const next = waiting.shift() as { frame: Frame; size: number; final: boolean };
      waitingBytes -= next.size;
      send(next.frame, next.final);
    }
  });

  return {
    push(event) {
      if (closed) return;
      const frame = options.frame(event);
      if (!blocked && waiting.length === 0) return send(frame, event.final);
      const size = options.sizeOf(frame);
      if (waitingBytes + size > options.lagLimitBytes) {
        waiting.length = 0;
        waitingBytes = 0;
        closed = true;
        target.end(options.frame(laggedEvent(event.execution_id, new Date().toISOString())));
        options.onLagged?.();
        return;
      }
      waiting.push({ frame, size, final: event.final });
      waitingBytes += size;
    },
    get closed() {
      return closed;
    },
  };
}
