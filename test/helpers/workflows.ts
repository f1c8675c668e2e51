/**
 * @module test/helpers/workflows
 * Workflows through the HTTP API of a test app: the response types the tests read, a compact
 * builder for workflow definitions (`a -> b`, `a:port -> b`), and the create / publish / execute /
 * read / wait calls the integration tests repeat.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { parseEdge } from '../../src/core/edges.fixture.ts';
import { json, type TestApp } from './app.ts';
import { type PollOptions, until } from './polling.ts';

/** The envelope of every API answer. */
export type Envelope<T = Record<string, unknown>> = {
  success: boolean;
  message?: string;
  data: T;
  meta?: { pagination: Record<string, number | boolean> };
  error?: { code: string; message: string; details: Record<string, unknown> };
};

/** One node's record in an execution. */
export type NodeState = {
  readonly status: string;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly input_data: unknown;
  readonly output_data: unknown;
  readonly logs: string[];
  readonly error: string | null;
  readonly attempts?: number;
  readonly runs?: number;
};

/** A delivery a node left in the execution's outbox. */
export type OutboxEntry = {
  readonly node_id: string;
  readonly kind: string;
  readonly payload: Record<string, unknown>;
};

/** An execution as `GET /api/v1/workflows/executions/:id` answers it. */
export type Execution = {
  readonly execution_id: string;
  readonly status: string;
  readonly trigger_source: string;
  readonly cancelled_at: string | null;
  readonly execution_path: string[];
  readonly node_states: Record<string, NodeState>;
  readonly final_variables: Record<string, unknown>;
  readonly final_output: Record<string, unknown> | null;
  readonly error_message: string | null;
  readonly error_node_id: string | null;
  readonly outbox: OutboxEntry[];
};

/** An execution read with `include_metrics=true`. */
export type ExecutionWithMetrics = Execution & { readonly metrics: Record<string, number> };

/** A node for {@link workflowBuilder}: its type, config and any other node fields (enabled, retry…). */
export type NodeSpec = readonly [type: string, config?: Record<string, unknown>, extra?: Record<string, unknown>];

/** The fields of a definition other than nodes and connections (name, entity_id, community_id…). */
export type DefinitionBase = { readonly name: string; readonly entity_id: number; readonly community_id?: number };

/**
 * A builder of definitions that share `base`: `workflow(nodes, edges, extra)` where each edge is
 * `a -> b` or `a:port -> b` (core/edges.fixture: the source port defaults to `output`, the target
 * port is `input`).
 */
export function workflowBuilder(base: DefinitionBase) {
  return (nodes: Record<string, NodeSpec>, edges: readonly string[], extra: Record<string, unknown> = {}) => ({
    ...base,
    nodes: Object.fromEntries(
      Object.entries(nodes).map(([id, [node_type, config, more]]) => [id, { node_type, config, ...more }]),
    ),
    connections: edges.map(parseEdge),
    ...extra,
  });
}

/** Creates a draft and answers its id, checking nothing (for tests that check the answer themselves). */
export async function createWorkflow(t: TestApp, token: string, definition: object): Promise<string> {
  const created = await t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: definition });
  return json<Envelope<{ workflow_id: string }>>(created).data.workflow_id;
}

/** Creates (201) and publishes (200) a workflow; answers its id. */
export async function publishWorkflow(t: TestApp, token: string, definition: object): Promise<string> {
  const created = await t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: definition });
  assert.equal(created.statusCode, 201, created.body);
  const id = json<Envelope<{ workflow_id: string }>>(created).data.workflow_id;
  const published = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token });
  assert.equal(published.statusCode, 200, published.body);
  return id;
}

/** `POST /api/v1/workflows/:id/execute` with `body`; answers the response unchecked. */
export function executeWorkflow(
  t: TestApp,
  token: string,
  workflowId: string,
  body: Record<string, unknown>,
): Promise<LightMyRequestResponse & { body: string }> {
  return t.request({ method: 'POST', url: `/api/v1/workflows/${workflowId}/execute`, token, payload: body });
}

/** Publishes, then starts a run without waiting (202); answers the execution id. */
export async function startWorkflow(
  t: TestApp,
  token: string,
  definition: object,
  body: Record<string, unknown> = {},
): Promise<string> {
  const id = await publishWorkflow(t, token, definition);
  const executed = await executeWorkflow(t, token, id, body);
  assert.equal(executed.statusCode, 202, executed.body);
  return json<Envelope<{ execution_id: string }>>(executed).data.execution_id;
}

/** Publishes, then executes with `body` plus wait_for_completion (200); answers the finished run. */
export async function executeAndWait(
  t: TestApp,
  token: string,
  definition: object,
  body: Record<string, unknown> = {},
): Promise<Execution> {
  const id = await publishWorkflow(t, token, definition);
  const executed = await executeWorkflow(t, token, id, { ...body, wait_for_completion: true, timeout_seconds: 10 });
  assert.equal(executed.statusCode, 200, executed.body);
  return json<Envelope<Execution>>(executed).data;
}

async function getExecution<T>(t: TestApp, token: string, executionId: string, query = ''): Promise<T> {
  const response = await t.request({
    method: 'GET',
    url: `/api/v1/workflows/executions/${executionId}${query}`,
    token,
  });
  assert.equal(response.statusCode, 200, response.body);
  return json<Envelope<T>>(response).data;
}

/** Reads an execution (200). */
export function readExecution(t: TestApp, token: string, executionId: string): Promise<Execution> {
  return getExecution(t, token, executionId);
}

/** Reads an execution with its metrics (200). */
export function readExecutionWithMetrics(
  t: TestApp,
  token: string,
  executionId: string,
): Promise<ExecutionWithMetrics> {
  return getExecution(t, token, executionId, '?include_metrics=true');
}

/** Publishes, executes with wait_for_completion and reads the execution back with metrics. */
export async function runWorkflow(
  t: TestApp,
  token: string,
  definition: object,
  variables: Record<string, unknown> = {},
): Promise<ExecutionWithMetrics> {
  const { execution_id } = await executeAndWait(t, token, definition, { variables });
  return readExecutionWithMetrics(t, token, execution_id);
}

const FINISHED = ['completed', 'failed', 'cancelled'];

/**
 * Reads an execution until `done` holds for its status (by default: completed, failed or
 * cancelled); 200 reads at the most, `intervalMs` apart.
 */
export function waitForExecution<T extends { readonly status?: unknown } = Execution>(
  t: TestApp,
  token: string,
  executionId: string,
  {
    done = (status: string) => FINISHED.includes(status),
    intervalMs = 25,
  }: { readonly done?: (status: string) => boolean } & Pick<PollOptions, 'intervalMs'> = {},
): Promise<T> {
  return until(
    `execution ${executionId} to reach the expected status`,
    async () => {
      const response = await t.request({ method: 'GET', url: `/api/v1/workflows/executions/${executionId}`, token });
      const data = json<Envelope<T>>(response).data;
      return done(data.status as string) ? data : undefined;
    },
    { intervalMs, attempts: 200 },
  );
}
