/**
 * @module delivery/router-client
 * The Delivery of nodes/node-type.ts: chat messages, module calls and browser-source updates go as
 * JSON POSTs to the operator's router (`ROUTER_URL`), or, without a router, only to the outbox.
 * The router is the operator's own service, so no SSRF guard applies; it still gets a timeout
 * (covering all attempts), a bounded response and a retry policy: a few attempts with jittered
 * exponential backoff on network errors, 429 and 5xx, honouring Retry-After when it fits in the
 * time left. Other answers fail at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { parseRetryAfter } from '../core/retry-after.ts';
import { type Delivery, type DeliveryKind, type DeliveryResult, NodeError } from '../nodes/node-type.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, parseResponseBody, readBoundedBody } from './response-body.ts';

export const ROUTER_PATHS = {
  chat_message: '/api/v1/send-message',
  module: '/api/v1/execute-module',
  browser_source: '/api/v1/browser-source',
} as const satisfies Record<DeliveryKind, string>;

export interface DeliveryOptions {
  /** ROUTER_URL; unset: every send only goes to the outbox. */
  readonly routerUrl?: string;
  /** Records what a run produced when there is no router to deliver it to. */
  readonly outbox: (kind: DeliveryKind, payload: Record<string, unknown>) => void;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxResponseBytes?: number;
  /** Extra request headers, e.g. the router's own authentication. */
  readonly headers?: Record<string, string>;
}

export interface RouterDelivery extends Delivery {
  close(): Promise<void>;
}

interface AttemptFailure {
  readonly error: NodeError;
  readonly retryAfterMs?: number;
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function createDelivery(options: DeliveryOptions): RouterDelivery {
  const routerUrl = options.routerUrl?.replace(/\/+$/, '');
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const agent = routerUrl ? new Agent({ keepAliveTimeout: 10_000 }) : null;

  async function attempt(url: string, body: string, signal: AbortSignal): Promise<DeliveryResult | AttemptFailure> {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body,
      signal,
      dispatcher: agent ?? undefined,
    });
    const bytes = await readBoundedBody(response.body, maxBytes, response.headers['content-length']);
    const parsed = parseResponseBody(bytes, response.headers['content-type']);
    const status = response.statusCode;
    if (status >= 200 && status < 300) return { delivered: true, status, response: parsed };
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    const error = new NodeError(`router answered ${status} for ${url}`, 'HTTP_ERROR', {
      retryable: isRetryableStatus(status),
      retryAfterMs,
    });
    return { error, retryAfterMs };
  }

  async function deliver(
    kind: DeliveryKind,
    payload: Record<string, unknown>,
    timeoutMs: number,
    callerSignal: AbortSignal,
  ) {
    const url = `${routerUrl}${ROUTER_PATHS[kind]}`;
    const body = JSON.stringify(payload);
    const deadlineAt = Date.now() + timeoutMs;
    const deadline = AbortSignal.timeout(Math.max(1, timeoutMs));
    const signal = AbortSignal.any([callerSignal, deadline]);
    let failure: AttemptFailure | undefined;
    for (let attemptNumber = 1; attemptNumber <= maxAttempts; attemptNumber += 1) {
      try {
        const outcome = await attempt(url, body, signal);
        if (!('error' in outcome)) return outcome;
        failure = outcome;
        if (!outcome.error.options.retryable) throw outcome.error;
      } catch (error) {
        if (callerSignal.aborted) throw callerSignal.reason;
        if (error instanceof NodeError) throw error;
        if (deadline.aborted)
          throw new NodeError(`router call to ${url} timed out after ${timeoutMs} ms`, 'HTTP_ERROR', {
            retryable: true,
          });
        const reason = error instanceof Error ? error.message : String(error);
        failure = {
          error: new NodeError(`router call to ${url} failed: ${reason}`, 'HTTP_ERROR', { retryable: true }),
        };
      }
      if (attemptNumber === maxAttempts) break;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNumber - 1));
      const delay = failure.retryAfterMs ?? backoff / 2 + Math.random() * (backoff / 2);
      // A wait that would outlast the timeout cannot lead to a delivery in time: give up now.
      if (Date.now() + delay >= deadlineAt) break;
      try {
        await sleep(delay, undefined, { signal });
      } catch {
        if (callerSignal.aborted) throw callerSignal.reason;
        break;
      }
    }
    throw (failure as AttemptFailure).error;
  }

  return {
    async send(kind, payload, { timeoutMs, signal }) {
      if (!routerUrl) {
        options.outbox(kind, payload);
        return { delivered: false };
      }
      return deliver(kind, payload, timeoutMs, signal);
    },
    async close() {
      await agent?.close();
    },
  };
}
