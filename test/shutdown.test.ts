/**
 * SIGTERM while clients wait: the process stops taking requests, ends event streams and waits
 * with a `shutdown` answer instead of hanging, exits 0, and the next start finishes the run.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../src/auth/jwt.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { slowWorkflow } from './helpers/fixtures.ts';
import { type ServerProcess, serverEnv, startServerProcess } from './helpers/server-process.ts';

describe('graceful shutdown', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let headers: Record<string, string>;
  let server: ServerProcess | undefined;

  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    env = serverEnv(database, secret, { SHUTDOWN_GRACE_MS: '300' });
    headers = {
      authorization: `Bearer ${await mintToken(secret, { userId: 'ops', entities: [1] })}`,
      'content-type': 'application/json',
    };
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await database.cleanup();
  });

  const post = async (path: string, body: unknown) =>
    (await fetch(`${server?.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json() as Promise<{
      data: Record<string, unknown>;
    }>;

  it('ends streams and waits, exits 0, and the run finishes after the restart', async () => {
    server = await startServerProcess(env);
    const workflowId = (await post('/api/v1/workflows', slowWorkflow(1500, 1))).data.workflow_id as string;
    await post(`/api/v1/workflows/${workflowId}/publish`, {});
    const executionId = (await post(`/api/v1/workflows/${workflowId}/execute`, {})).data.execution_id as string;

    const stream = fetch(`${server.url}/api/v1/workflows/executions/${executionId}/events`, { headers }).then((r) =>
      r.text(),
    );
    const waiting = fetch(`${server.url}/api/v1/workflows/${workflowId}/execute`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ wait_for_completion: true, timeout_seconds: 60 }),
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { error: { code: string; details: Record<string, unknown> } },
    }));
    await new Promise((resolve) => setTimeout(resolve, 300));

    assert.equal(await server.stop('SIGTERM'), 0, server.output());
    const text = await stream;
    assert.match(text, /event: end\ndata: \{[^\n]*"status":"shutdown"/);
    const waited = await waiting;
    assert.equal(waited.status, 503);
    assert.equal(waited.body.error.code, 'SERVICE_UNAVAILABLE');
    assert.ok(waited.body.error.details.execution_id);

    server = await startServerProcess(env);
    for (const id of [executionId, waited.body.error.details.execution_id as string]) {
      let status = '';
      for (let i = 0; i < 200 && status !== 'completed'; i++) {
        const got = (await (await fetch(`${server.url}/api/v1/workflows/executions/${id}`, { headers })).json()) as {
          data: { status: string; final_variables: Record<string, unknown> };
        };
        status = got.data.status;
        if (status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 25));
        else assert.equal(got.data.final_variables.done, true);
      }
      assert.equal(status, 'completed', `execution ${id} finished after the restart`);
    }
  });
});
