/**
 * @module runs/live-stream
 * A run's Server-Sent Events (`GET …/executions/:id/events`) read with fetch, so the token goes
 * in the Authorization header and never in a URL. A dropped connection is opened again; the
 * server replays the run's events from its first node on every connection, so `onOpen` tells the
 * reader to start over and nothing is missed or counted twice. A `lagged` frame (the server cut a
 * watcher that fell behind) is a drop too. The `end` event closes it for good.
 */
import type { ExecutionEvent } from '../../../src/services/execution-types.ts';
import { ApiError } from '../api/client.ts';

/**
 * One event's `data`: the server's ExecutionEvent as http/execution-sse.ts writes it, without
 * `final` (the frame's name, `end`, says that), and `output` absent where it was undefined (JSON).
 */
export type StreamEvent = Omit<ExecutionEvent, 'final' | 'output'> & { readonly output?: unknown };

export interface SseFrame {
  readonly event: string;
  readonly data: string;
}

/** Splits a text buffer into complete frames and the incomplete rest. */
export function parseSse(buffer: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  const normalized = buffer.replace(/\r\n/g, '\n');
  const parts = normalized.split('\n\n');
  const rest = parts.pop() ?? '';
  for (const part of parts) {
    let event = 'message';
    const data: string[] = [];
    for (const line of part.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) frames.push({ event, data: data.join('\n') });
  }
  return { frames, rest };
}

export interface LiveStreamHandlers {
  /** A (re)connection: the events that follow start again from the run's first node. */
  onOpen(): void;
  onEvent(event: StreamEvent, final: boolean): void;
  /** A refusal the stream cannot recover from (404, 401…); the stream stops. */
  onError(error: ApiError): void;
  /** Connection lost; reconnecting in `delayMs`. */
  onRetry?(delayMs: number): void;
}

export interface LiveStreamOptions {
  readonly url: string;
  readonly token: () => string | null;
  readonly fetch?: typeof fetch;
  /** Backoff of reconnects: doubles from this up to 5 s. */
  readonly retryMs?: number;
  readonly onUnauthorized?: () => void;
}

async function refusal(response: Response): Promise<ApiError> {
  try {
    const parsed = (await response.json()) as { error?: { code: string; message: string } };
    if (parsed.error) return new ApiError(response.status, parsed.error.code, parsed.error.message);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, `HTTP_${response.status}`, response.statusText || 'The stream was refused');
}

/** Opens the stream; the answer closes it. */
export function openLiveStream(options: LiveStreamOptions, handlers: LiveStreamHandlers): () => void {
  const controller = new AbortController();
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const firstDelay = options.retryMs ?? 500;
  let delay = firstDelay;
  let done = false;

  async function connectOnce(): Promise<'ended' | 'dropped' | 'refused'> {
    const token = options.token();
    const response = await doFetch(options.url, {
      headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: controller.signal,
      cache: 'no-store',
    });
    if (!response.ok || !response.body) {
      if (response.status === 401) options.onUnauthorized?.();
      handlers.onError(await refusal(response));
      return 'refused';
    }
    handlers.onOpen();
    delay = firstDelay;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) return 'dropped';
      buffer += decoder.decode(value, { stream: true });
      const { frames, rest } = parseSse(buffer);
      buffer = rest;
      for (const frame of frames) {
        // The server cut a watcher that fell behind: connect again, and the replay fills the gap.
        if (frame.event === 'lagged') return 'dropped';
        const final = frame.event === 'end';
        handlers.onEvent(JSON.parse(frame.data) as StreamEvent, final);
        if (final) {
          controller.abort();
          return 'ended';
        }
      }
    }
  }

  void (async () => {
    while (!done) {
      let outcome: 'ended' | 'dropped' | 'refused';
      try {
        outcome = await connectOnce();
      } catch {
        outcome = controller.signal.aborted ? 'ended' : 'dropped';
      }
      if (outcome !== 'dropped' || done) return;
      handlers.onRetry?.(delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  })();

  return () => {
    done = true;
    controller.abort();
  };
}
