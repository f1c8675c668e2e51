/**
 * Poison runs (PRODUCT.md §5): an execution in flight during 3 process deaths in a row is ended
 * `failed` ("stopped after repeated crashes") at the next start instead of being resumed again,
 * so one bad run cannot take the service down at every start. The server is killed with SIGKILL
 * while the run sits in a long delay; each start's resume is seen in the row before the next kill.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../src/auth/jwt.ts';
import { type DatabaseHandle, openDatabase } from '../src/store/connect.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { type ServerProcess, serverEnv, startServerProcess } from './helpers/server-process.ts';

describe('poison runs', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let token: string;
  let server: ServerProcess | undefined;
  let reader: DatabaseHandle | undefined;

  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    env = serverEnv(database, secret);
    token = await mintToken(secret, { userId: 'poison', entities: [1] });
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await reader?.close();
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

  /** Waits until this start's resume (or claim) of the run is stored in its row. */
  async function waitForStarts(executionId: string, starts: number): Promise<void> {
    reader ??= openDatabase(database.url, { schema: database.schema });
    for (let i = 0; i < 600; i++) {
      const row = await reader.db
        .selectFrom('executions')
        .select(['status', 'resume_attempts'])
        .where('execution_id', '=', executionId)
        .executeTakeFirst();
      if (row?.status === 'running' && row.resume_attempts === starts) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`execution ${executionId} was not started ${starts} times`);
  }

  it('ends a run that was in flight during 3 process deaths in a row, instead of resuming it', async () => {
    server = await startServerProcess(env);
    const created = await call('POST', '/api/v1/workflows', {
      name: 'Poison',
      entity_id: 1,
      nodes: {
        start: { node_type: 'trigger_manual' },
        wait: { node_type: 'action_delay', config: { delay_ms: 300_000 } },
      },
      connections: [{ from_node_id: 'start', from_port_name: 'output', to_node_id: 'wait', to_port_name: 'input' }],
    });
    const workflowId = created.body.data.workflow_id as string;
    assert.equal((await call('POST', `/api/v1/workflows/${workflowId}/publish`)).status, 200);
    const started = await call('POST', `/api/v1/workflows/${workflowId}/execute`, {});
    assert.equal(started.status, 202);
    const id = started.body.data.execution_id as string;

    for (let death = 1; death <= 3; death++) {
      await waitForStarts(id, death);
      assert.equal(await server.stop('SIGKILL'), null);
      server = await startServerProcess(env);
    }
    let data: Record<string, unknown> = {};
    for (let i = 0; i < 400; i++) {
      data = (await call('GET', `/api/v1/workflows/executions/${id}`)).body.data;
      if (data.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(data.status, 'failed', JSON.stringify(data));
    assert.match(String(data.error_message), /stopped after repeated crashes/);
    // The process that ended it is healthy, and the next start leaves the run alone.
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    assert.equal(await server.stop('SIGTERM'), 0);
    server = await startServerProcess(env);
    assert.equal((await call('GET', `/api/v1/workflows/executions/${id}`)).body.data.status, 'failed');
  });
});
