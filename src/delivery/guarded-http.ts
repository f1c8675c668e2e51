/**
 * @module delivery/guarded-http
 * The outbound HTTP client behind action_webhook (the HttpClient of nodes/node-type.ts). Every hop
 * goes through the SSRF guard: the URL before the request, each DNS answer at connect time (the
 * socket is pinned to the checked address), and again for every redirect, which are followed by
 * hand (at most 5). Bodies are size-bounded, the timeout covers redirects and body, and the
 * caller's AbortSignal cancels the lot.
 *
 * Non-2xx answers are returned as responses, not thrown: the node decides what a 404 means.
 * Thrown errors are NodeErrors: `SSRF_BLOCKED` (never retryable) or `HTTP_ERROR` (network
 * failures and timeouts retryable; oversized bodies, bad requests and redirect loops not).
 * Cancellation by the caller rethrows the signal's reason (an AbortError) untouched.
 */
import { Agent, request } from 'undici';
import { type HttpClient, NodeError, type OutboundRequest, type OutboundResponse } from '../nodes/node-type.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, flattenHeaders, parseResponseBody, readBoundedBody } from './response-body.ts';
import {
  type AddressPolicy,
  checkOutboundUrl,
  createAddressPolicy,
  createGuardedLookup,
  type Resolver,
} from './ssrf-guard.ts';

export interface GuardedHttpOptions {
  /** ALLOW_PRIVATE_NETWORK: skip the address policy (schemes are still checked). */
  readonly allowPrivateNetwork?: boolean;
  /** Replaces the default policy (tests exempt their stub with createAddressPolicy). */
  readonly addressPolicy?: AddressPolicy;
  /** Replaces system DNS (tests map names to fixed addresses). */
  readonly resolve?: Resolver;
  readonly maxResponseBytes?: number;
  readonly maxRedirects?: number;
  readonly userAgent?: string;
}

export interface GuardedHttpClient extends HttpClient {
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Framing and routing headers belong to the client, not to workflow authors.
const FORBIDDEN_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'content-length',
]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

function httpError(message: string, retryable: boolean): NodeError {
  return new NodeError(message, 'HTTP_ERROR', { retryable });
}

function prepareHeaders(headers: Record<string, string>, userAgent: string): Record<string, string> {
  const prepared: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!FORBIDDEN_REQUEST_HEADERS.has(lower)) prepared[lower] = String(value);
  }
  prepared['user-agent'] ??= userAgent;
  return prepared;
}

function parseTarget(raw: string, headers: Record<string, string>): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw httpError(`invalid URL: ${JSON.stringify(raw.slice(0, 200))}`, false);
  }
  if (url.username || url.password) {
    // Credentials in the URL become Basic auth, and leave the URL so they never reach a log line.
    headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return url;
}

function toNodeError(
  error: unknown,
  url: URL,
  callerSignal: AbortSignal,
  deadline: AbortSignal,
  timeoutMs: number,
): unknown {
  if (callerSignal.aborted) return callerSignal.reason;
  if (error instanceof NodeError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof NodeError) return cause;
  if (deadline.aborted) return httpError(`request to ${url.origin} timed out after ${timeoutMs} ms`, true);
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_CHAR') {
    return httpError(`invalid request to ${url.origin}: ${message}`, false);
  }
  return httpError(`request to ${url.origin} failed: ${message}${typeof code === 'string' ? ` (${code})` : ''}`, true);
}

export function createGuardedHttpClient(options: GuardedHttpOptions = {}): GuardedHttpClient {
  const policy = options.addressPolicy ?? createAddressPolicy({ allowPrivateNetwork: options.allowPrivateNetwork });
  const agent = new Agent({ connect: { lookup: createGuardedLookup(policy, options.resolve) } });
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = options.maxRedirects ?? 5;
  const userAgent = options.userAgent ?? 'workflow-core';

  async function send(outbound: OutboundRequest, signal: AbortSignal): Promise<OutboundResponse> {
    const headers = prepareHeaders(outbound.headers, userAgent);
    let url = parseTarget(outbound.url, headers);
    let method = outbound.method.toUpperCase();
    let body = outbound.body;
    for (let redirects = 0; ; redirects += 1) {
      checkOutboundUrl(url, policy);
      const response = await request(url, { method, headers, body, signal, dispatcher: agent });
      const location = response.headers.location;
      if (REDIRECT_STATUSES.has(response.statusCode) && typeof location === 'string') {
        await response.body.dump().catch(() => undefined);
        if (redirects >= maxRedirects)
          throw httpError(`too many redirects (more than ${maxRedirects}) from ${url.origin}`, false);
        const next = new URL(location, url);
        if (
          response.statusCode === 303 ||
          ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        // Never hand credentials meant for one origin to another.
        if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
        url = next;
        continue;
      }
      const bytes = await readBoundedBody(response.body, maxBytes, response.headers['content-length']);
      return {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body: parseResponseBody(bytes, response.headers['content-type']),
      };
    }
  }

  return {
    async request(outbound) {
      const deadline = AbortSignal.timeout(Math.max(1, outbound.timeoutMs));
      const signal = AbortSignal.any([outbound.signal, deadline]);
      try {
        return await send(outbound, signal);
      } catch (error) {
        let target: URL;
        try {
          target = new URL(outbound.url);
        } catch {
          throw error;
        }
        throw toNodeError(error, target, outbound.signal, deadline, outbound.timeoutMs);
      }
    },
    async close() {
      await agent.close();
    },
  };
}
