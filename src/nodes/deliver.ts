/**
 * @module nodes/deliver
 * How side-effect nodes turn delivery and HTTP outcomes into NodeErrors the engine can retry:
 * 429/503 are retryable after Retry-After, other 4xx are not, 5xx, timeouts and network failures
 * are. Cancellation is passed through untouched so the engine sees it as such.
 */
import { parseRetryAfter } from '../core/retry-after.ts';
import { type DeliveryKind, type DeliveryResult, type NodeContext, NodeError, type NodeResult } from './node-type.ts';

/** Sends through the router (or the outbox) and fails with a NodeError the engine understands. */
export async function deliver(
  ctx: NodeContext,
  kind: DeliveryKind,
  payload: Record<string, unknown>,
  timeoutMs: number,
): Promise<DeliveryResult> {
  let result: DeliveryResult;
  try {
    result = await ctx.delivery.send(kind, payload, { timeoutMs, signal: ctx.signal });
  } catch (error) {
    throw toNodeError(error, ctx, `${kind} delivery`);
  }
  if (typeof result.status === 'number' && result.status >= 400) {
    throw statusError(result.status, `${kind} delivery`, undefined, ctx.now());
  }
  if (!result.delivered) ctx.log(`${kind} recorded in the outbox, not delivered (no router configured, or test mode)`);
  return result;
}

/** What a delivering node answers: how the delivery went, and what it sent (`extra` adds fields). */
export function deliveryOutput(result: DeliveryResult, extra: Record<string, unknown>): NodeResult {
  return {
    output: { delivered: result.delivered, status: result.status ?? null, response: result.response ?? null, ...extra },
    ports: ['output'],
  };
}

/** The NodeError for an HTTP status; `retryAfter` is the raw Retry-After header. */
export function statusError(status: number, what: string, retryAfter: string | undefined, now: Date): NodeError {
  const message = `${what} answered HTTP ${status}`;
  if (status === 429 || status === 503) {
    return new NodeError(message, 'HTTP_ERROR', {
      retryable: true,
      retryAfterMs: parseRetryAfter(retryAfter, now.getTime()),
    });
  }
  return new NodeError(message, 'HTTP_ERROR', { retryable: status >= 500 });
}

interface FailureShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly retryable?: unknown;
  readonly code?: unknown;
}

/** Classifies whatever a delivery or HTTP client threw. */
export function toNodeError(error: unknown, ctx: NodeContext, what: string): unknown {
  if (error instanceof NodeError) return error;
  if (ctx.signal.aborted) return error;
  const failure = (error !== null && typeof error === 'object' ? error : {}) as FailureShape;
  const message = typeof failure.message === 'string' ? failure.message : String(error);
  const status = typeof failure.status === 'number' ? failure.status : failure.statusCode;
  if (typeof status === 'number' && status >= 400) return statusError(status, what, undefined, ctx.now());
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError') {
    return new NodeError(`${what} timed out`, 'TIMEOUT', { retryable: true });
  }
  const code = typeof failure.code === 'string' ? failure.code : 'DELIVERY_FAILED';
  const retryable = typeof failure.retryable === 'boolean' ? failure.retryable : true;
  return new NodeError(`${what} failed: ${message}`, code, { retryable });
}

/** Case-insensitive header lookup. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
