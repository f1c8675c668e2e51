/**
 * @module api/client
 * The one way the app talks to the server: `/api/v1` with the bearer token, the reference's
 * envelope unwrapped, failures as ApiError (code, message, details). A 401 tells the session so
 * the app can ask for a new token without leaving the page.
 */
import type { Static } from '@sinclair/typebox';
import type { PaginationSchema } from '../../../src/http/envelope.ts';

/** `meta.pagination` of a paged answer, as the envelope schema declares it. */
export type Pagination = Static<typeof PaginationSchema>;

export interface ApiAnswer<T> {
  readonly data: T;
  readonly message?: string;
  readonly meta?: { readonly pagination?: Pagination } & Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/**
 * A request body schema's static type as the app holds its data: top-level arrays may be readonly
 * (the editor's document is), since a body is only serialized.
 */
export type RequestBody<T> = { readonly [K in keyof T]: ReadonlyArrays<T[K]> };
type ReadonlyArrays<V> = V extends readonly (infer U)[] ? readonly U[] : V;

export interface ApiClient {
  request<T>(method: string, path: string, options?: { query?: Query; body?: unknown }): Promise<ApiAnswer<T>>;
}

export interface ApiClientOptions {
  readonly token: () => string | null;
  /** Called on every 401 (expired or revoked token). */
  readonly onUnauthorized?: () => void;
  readonly fetch?: typeof fetch;
  readonly baseUrl?: string;
}

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    async request<T>(method: string, path: string, { query, body }: { query?: Query; body?: unknown } = {}) {
      const token = options.token();
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await doFetch(`${options.baseUrl ?? ''}${path}${queryString(query)}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new ApiError(0, 'NETWORK_ERROR', `The server could not be reached (${(error as Error).message})`);
      }
      const text = await response.text();
      let parsed: { success?: boolean; data?: T; error?: { code: string; message: string; details?: object } } & Omit<
        ApiAnswer<T>,
        'data'
      >;
      try {
        parsed = text ? JSON.parse(text) : {};
      } catch {
        throw new ApiError(response.status, 'BAD_RESPONSE', `Unexpected answer (${response.status})`);
      }
      if (!response.ok || parsed.success === false) {
        if (response.status === 401) options.onUnauthorized?.();
        const error = parsed.error ?? { code: `HTTP_${response.status}`, message: response.statusText };
        throw new ApiError(
          response.status,
          error.code,
          error.message,
          (error.details ?? {}) as Record<string, unknown>,
        );
      }
      return { data: parsed.data as T, message: parsed.message, meta: parsed.meta };
    },
  };
}
