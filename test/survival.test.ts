/**
 * Survival (issue 9): one `serve` process gets the expressions and the template that used to kill
 * or freeze it — as /test runs and as published executions, and again across a restart while
 * they are in flight. The process never exits, `GET /health` keeps answering within 1.5 s (a
 * freeze detector polled throughout, not a speed target: before the worker pool a single
 * expression blocked it for seconds), and every run ends `failed` or on its error port, naming the
 * limit it hit. An ordinary run next to them completes.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../src/auth/jwt.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { type ServerProcess, serverEnv, startServerProcess } from './helpers/server-process.ts';

const KILLERS = {
  pad: '$length($pad("x", 200000000))',
  replace: '$length($replace($pad("",100000,"a"),"a",$pad("",1000,"b")))',
  split: '$count($split($pad("", 10000000, ","), ","))',
};
/** Each costs well over the node's share of the budget; 15 of them ran 10 s before. */
const SLOW = '$sum([1..300000].($ * 2))';
const SPACES_TEMPLATE = `{{${' '.repeat(3000)}`;
const HEALTH_LIMIT_MS = 1500;

type Body = { data: Record<string, unknown> };

describe('survival: hostile expressions and templates', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let token: string;
  let server: ServerProcess;
  const health: { ms: number; status: number | string; at: string }[] = [];
  let polling = true;
  /** Set while the server is killed and started again on purpose. */
  let restarting = false;
  let poller: Promise<void> | undefined;

  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    env = serverEnv(database, secret, { EXPRESSION_TIMEOUT_MS: '1000' });
    token = await mintToken(secret, { userId: 'survivor', entities: [1] });
    server = await startServerProcess(env);
    poller = pollHealth();
  });
  after(async () => {
    polling = false;
    await poller;
    await server.stop('SIGKILL');
    await database.cleanup();
  });

  /** GET /health every 100 ms against whichever server is current, until the test ends. */
  async function pollHealth(): Promise<void> {
    while (polling) {
      const target = server;
      const started = performance.now();
      let status: number | string;
      try {
        const response = await fetch(`${target.url}/health`, { signal: AbortSignal.timeout(10_000) });
        status = response.status;
        await response.arrayBuffer();
      } catch (error) {
        // Only the server being restarted on purpose may refuse a connection.
        if (restarting || target !== server) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        status = (error as Error).name;
      }
      health.push({ ms: performance.now() - started, status, at: new Date().toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Body }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Body };
  }

  async function createWorkflow(
    name: string,
    nodes: Record<string, unknown>,
    edges: [string, string][],
    settings = {},
  ): Promise<string> {
    const connections = edges.map(([from, to]) => {
      const [fromNode, port = 'output'] = from.split(':');
      return { from_node_id: fromNode, from_port_name: port, to_node_id: to, to_port_name: 'input' };
    });
    const created = await call('POST', '/api/v1/workflows', { name, entity_id: 1, nodes, connections, settings });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.data.workflow_id as string;
  }

  function transform(expression: string | Record<string, string>) {
    const transformations = typeof expression === 'string' ? { out: expression } : expression;
    return { node_type: 'data_transform', config: { transformations } };
  }

  async function finished(executionId: string): Promise<Record<string, unknown>> {
    for (let i = 0; i < 1200; i++) {
      const got = await call('GET', `/api/v1/workflows/executions/${executionId}`);
      const status = got.body.data?.status;
      if (got.status === 200 && status !== 'queued' && status !== 'running') return got.body.data;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`execution ${executionId} did not finish`);
  }

  function assertHealthy(): void {
    assert.equal(server.child.exitCode, null, `the server exited: ${server.output().slice(-2000)}`);
    assert.equal(server.child.signalCode, null);
    const slow = health.filter((h) => h.status !== 200 || h.ms > HEALTH_LIMIT_MS);
    assert.deepEqual(slow, [], `GET /health stalled or failed (${health.length} polls)`);
    assert.ok(health.length > 0);
  }

  const workflows: Record<string, string> = {};

  it('refuses each killer in /test with a limit, while /health and an ordinary run carry on', async () => {
    for (const [name, killer] of Object.entries(KILLERS)) {
      workflows[name] = await createWorkflow(
        `killer ${name}`,
        { start: { node_type: 'trigger_manual' }, calc: transform(killer) },
        [['start', 'calc']],
      );
    }
    const ordinary = await createWorkflow(
      'ordinary',
      { start: { node_type: 'trigger_manual' }, calc: transform('$uppercase(name)') },
      [['start', 'calc']],
    );
    const tests = Object.entries(workflows).map(async ([name, id]) => {
      const answer = await call('POST', `/api/v1/workflows/${id}/test`, {});
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.data.status, 'failed', `${name}: ${JSON.stringify(answer.body.data)}`);
      const trace = answer.body.data.trace as { node_id: string; error: unknown }[];
      const calc = trace.find((entry) => entry.node_id === 'calc');
      assert.match(JSON.stringify(calc?.error), /expression limit '(result_size|sequence_length|memory|time)'/, name);
    });
    const normal = call('POST', `/api/v1/workflows/${ordinary}/test`, { variables: { name: 'ada' } });
    await Promise.all(tests);
    const done = await normal;
    assert.equal(done.body.data.status, 'completed', JSON.stringify(done.body.data));
    assertHealthy();
  });

  it('stops 15 slow transformations at the budget, within the node and workflow timeouts', async () => {
    const fifteen = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`v${i}`, SLOW]));
    const id = await createWorkflow(
      'fifteen slow',
      {
        start: { node_type: 'trigger_manual' },
        calc: { ...transform(fifteen), timeout_seconds: 2 },
      },
      [['start', 'calc']],
      { timeout_seconds: 3 },
    );
    workflows.slow = id;
    const answer = await call('POST', `/api/v1/workflows/${id}/test`, {});
    assert.equal(answer.body.data.status, 'failed', JSON.stringify(answer.body.data));
    const calc = (answer.body.data.trace as { node_id: string; error: unknown }[]).find((e) => e.node_id === 'calc');
    assert.match(JSON.stringify(calc?.error), /expression limit 'time'|Node timeout exceeded/);
    assert.ok(Number(answer.body.data.execution_time_seconds) < 3, 'ended before the workflow timeout');
    assertHealthy();
  });

  it('a limit hit takes the error port when one is connected', async () => {
    const id = await createWorkflow(
      'killer with error port',
      {
        start: { node_type: 'trigger_manual' },
        calc: transform(KILLERS.pad),
        caught: { node_type: 'flow_end', config: { final_output: { code: '{{ error.code }}' } } },
      },
      [
        ['start', 'calc'],
        ['calc:error', 'caught'],
      ],
    );
    const answer = await call('POST', `/api/v1/workflows/${id}/test`, {});
    assert.equal(answer.body.data.status, 'completed', JSON.stringify(answer.body.data));
    const run = await call('GET', `/api/v1/workflows/executions/${answer.body.data.execution_id}`);
    assert.deepEqual(run.body.data.final_output, { code: 'EXPRESSION_LIMIT' });
  });

  it('scans a template of {{ and 3,000 spaces in linear time, in runs and in validation', async () => {
    const id = await createWorkflow(
      'spaces',
      {
        start: { node_type: 'trigger_manual' },
        set: { node_type: 'data_variable_set', config: { variables: { text: SPACES_TEMPLATE } } },
        call: {
          node_type: 'action_webhook',
          config: { url: `https://example.com/${' '.repeat(2020)}{{`, method: 'GET' },
        },
      },
      [
        ['start', 'set'],
        ['set', 'call'],
      ],
    );
    workflows.spaces = id;
    const validation = await call('POST', `/api/v1/workflows/${id}/validate`);
    assert.equal(validation.status, 200);
    const answer = await call('POST', `/api/v1/workflows/${id}/test`, {});
    assert.equal(answer.status, 200);
    assert.equal((answer.body.data.final_variables as Record<string, unknown>).text, SPACES_TEMPLATE);
    assertHealthy();
  });

  it('published runs of every killer end failed naming the limit, across a restart that kills them in flight', async () => {
    const ids: Record<string, string> = {};
    for (const [name, workflowId] of Object.entries(workflows)) {
      if (name === 'spaces') continue;
      assert.equal((await call('POST', `/api/v1/workflows/${workflowId}/publish`)).status, 200, name);
      const started = await call('POST', `/api/v1/workflows/${workflowId}/execute`, {});
      assert.equal(started.status, 202, JSON.stringify(started.body));
      ids[name] = started.body.data.execution_id as string;
    }
    // Whatever is still queued or running dies with the process and must not kill the next one.
    restarting = true;
    assert.equal(await server.stop('SIGKILL'), null);
    server = await startServerProcess(env);
    restarting = false;
    for (const [name, executionId] of Object.entries(ids)) {
      const run = await finished(executionId);
      assert.equal(run.status, 'failed', `${name}: ${JSON.stringify(run)}`);
      assert.match(
        String(run.error_message),
        // The slow run may be caught by the workflow timeout: the time it ran before the restart counts.
        /expression limit '(result_size|sequence_length|memory|time)'|Node timeout exceeded|Workflow timeout exceeded/,
        name,
      );
      if (!/Workflow timeout/.test(String(run.error_message))) assert.equal(run.error_node_id, 'calc', name);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    assertHealthy();
  });
});
