/**
 * Nothing is lost on a crash: executions sit in `action_delay`, the server is killed with
 * SIGKILL, started again on the same database, and every execution reaches a terminal state,
 * none left queued or running, and nodes that had completed do not run again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../src/auth/jwt.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { type ServerProcess, serverEnv, startServerProcess } from './helpers/server-process.ts';

const RUNS = 6;

describe('crash recovery', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let token: string;
  let server: ServerProcess | undefined;

  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    env = serverEnv(database, secret);
    token = await mintToken(secret, { userId: 'crash', entities: [1] });
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await database.cleanup();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server?.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as { data: Record<string, unknown> } };
  }

  it('finishes every execution after kill -9, without running completed nodes again', async () => {
    server = await startServerProcess(env);
    const created = await call('POST', '/api/v1/workflows', {
      name: 'Crash me',
      entity_id: 1,
      nodes: {
        start: { node_type: 'trigger_manual' },
        announce: { node_type: 'action_chat_message', config: { message: 'run {{ n }} started' } },
        wait: { node_type: 'action_delay', config: { delay_ms: 1500 } },
        finish: { node_type: 'data_variable_set', config: { variables: { finished: true } } },
      },
      connections: [
        { from_node_id: 'start', from_port_name: 'output', to_node_id: 'announce', to_port_name: 'input' },
        { from_node_id: 'announce', from_port_name: 'output', to_node_id: 'wait', to_port_name: 'input' },
        { from_node_id: 'wait', from_port_name: 'output', to_node_id: 'finish', to_port_name: 'input' },
      ],
    });
    const workflowId = created.body.data.workflow_id as string;
    assert.equal((await call('POST', `/api/v1/workflows/${workflowId}/publish`)).status, 200);

    const ids: string[] = [];
    for (let n = 0; n < RUNS; n++) {
      const started = await call('POST', `/api/v1/workflows/${workflowId}/execute`, { variables: { n } });
      assert.equal(started.status, 202);
      ids.push(started.body.data.execution_id as string);
    }
    // Wait until every run has passed `announce` and sits in the delay.
    for (const id of ids) {
      for (let i = 0; ; i++) {
        const got = await call('GET', `/api/v1/workflows/executions/${id}`);
        if ((got.body.data.execution_path as string[]).includes('announce')) break;
        assert.ok(i < 200, `execution ${id} never reached the delay`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    const killedAt = new Date().toISOString();
    assert.equal(await server.stop('SIGKILL'), null);

    server = await startServerProcess(env);
    for (const id of ids) {
      let data: Record<string, unknown> = {};
      for (let i = 0; i < 400; i++) {
        data = (await call('GET', `/api/v1/workflows/executions/${id}`)).body.data;
        if (data.status !== 'queued' && data.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.equal(data.status, 'completed', `execution ${id}: ${JSON.stringify(data)}`);
      assert.deepEqual(data.execution_path, ['start', 'announce', 'wait', 'finish']);
      const states = data.node_states as Record<string, { runs?: number; completed_at: string }>;
      assert.equal(states.announce.runs, undefined, 'announce ran once');
      assert.ok(states.announce.completed_at < killedAt, 'announce kept its run from before the crash');
      assert.ok(states.finish.completed_at > killedAt, 'the rest ran after the restart');
      const outbox = data.outbox as unknown[];
      assert.equal(outbox.length, 1, 'the chat message was produced once, not again after the restart');
      assert.equal((data.final_variables as Record<string, unknown>).finished, true);
    }
    const list = await call('GET', `/api/v1/workflows/${workflowId}/executions?community_id=1&per_page=100`);
    const statuses = (list.body.data as unknown as Array<{ status: string }>).map((e) => e.status);
    assert.deepEqual(statuses, Array(RUNS).fill('completed'));
    assert.equal(await server.stop('SIGTERM'), 0);
  });
});
