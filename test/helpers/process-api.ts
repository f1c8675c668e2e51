/**
 * @module test/helpers/process-api
 * Calls to a `serve` process over real HTTP (tests of several processes), and a workflow created
 * and published through it in one step.
 */
import assert from 'node:assert/strict';

export interface ApiAnswer<T> {
  readonly status: number;
  readonly data: T;
}

export type ApiCall = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
) => Promise<ApiAnswer<T>>;

/** JSON calls to `baseUrl` with a bearer token; answers the status and the envelope's `data`. */
export function apiClient(baseUrl: string, token: string): ApiCall {
  return async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as { data?: T; error?: unknown }) : {};
    return { status: response.status, data: (parsed.data ?? parsed.error) as T };
  };
}

/** Creates (201) and publishes (200) a workflow through `call`; answers its id. */
export async function publishThrough(call: ApiCall, definition: object): Promise<string> {
  const created = await call<{ workflow_id: string }>('POST', '/api/v1/workflows', definition);
  assert.equal(created.status, 201, JSON.stringify(created.data));
  const id = created.data.workflow_id;
  const published = await call('POST', `/api/v1/workflows/${id}/publish`);
  assert.equal(published.status, 200, JSON.stringify(published.data));
  return id;
}
