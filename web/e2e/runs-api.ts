/**
 * The e2e tests' own calls to the server's API (setting up workflows and runs the pages then
 * show), with a token of the server's key.
 */
import { parseEdge } from '../../src/core/edges.fixture.ts';
import type { Server } from './fixtures.ts';

export async function call<T = Record<string, unknown>>(
  server: Server,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; data: T; error?: { code: string; message: string } }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await response.json()) as { data: T; error?: { code: string; message: string } };
  return { status: response.status, data: parsed.data, error: parsed.error };
}

type Edge = `${string} -> ${string}`;

/** `nodes`: id → [type, config]; `edges`: `a -> b` or `a:port -> b`. */
export function definition(name: string, nodes: Record<string, [string, Record<string, unknown>?]>, edges: Edge[]) {
  const ids = Object.keys(nodes);
  return {
    name,
    entity_id: 123,
    community_id: 456,
    nodes: Object.fromEntries(
      Object.entries(nodes).map(([id, [node_type, config]], i) => [
        id,
        { node_type, label: id, position: { x: 40 + i * 220, y: 80 + (i % 2) * 60 }, config: config ?? {} },
      ]),
    ),
    connections: edges.map((edge, i) => ({ connection_id: `c${i}`, ...parseEdge(edge) })),
    _ids: ids,
  };
}

export async function publish(server: Server, token: string, def: ReturnType<typeof definition>): Promise<string> {
  const { _ids, ...body } = def;
  const created = await call<{ workflow_id: string }>(server, token, 'POST', '/api/v1/workflows', body);
  if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.error)}`);
  const id = created.data.workflow_id;
  const published = await call(server, token, 'POST', `/api/v1/workflows/${id}/publish`, {});
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${JSON.stringify(published.error)}`);
  return id;
}

export async function execute(server: Server, token: string, workflowId: string, variables = {}): Promise<string> {
  const started = await call<{ execution_id: string }>(
    server,
    token,
    'POST',
    `/api/v1/workflows/${workflowId}/execute`,
    {
      variables,
    },
  );
  if (started.status !== 202) throw new Error(`execute: ${started.status} ${JSON.stringify(started.error)}`);
  return started.data.execution_id;
}

export async function waitForEnd(server: Server, token: string, executionId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const read = await call<{ status: string }>(server, token, 'GET', `/api/v1/workflows/executions/${executionId}`);
    if (['completed', 'failed', 'cancelled'].includes(read.data.status)) return read.data;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`execution ${executionId} did not end`);
}
