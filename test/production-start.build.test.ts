/**
 * The production start, `npm run build && node dist/main.js serve`: the compiled CLI (no tsx)
 * starts, runs one workflow to completion, and stops cleanly on SIGTERM. Its own pass of
 * `npm test` (scripts/test.mjs), once, since it does not depend on the database.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../src/auth/jwt.ts';
import { buildInto } from './helpers/build.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { apiClient, publishThrough } from './helpers/process-api.ts';
import { compiledEntry, type ServerProcess, serverEnv, startServerProcess } from './helpers/server-process.ts';
import { workflowBuilder } from './helpers/workflows.ts';

describe('production start: the compiled build', () => {
  let database: TestDatabase;
  let dist: string;
  let server: ServerProcess | undefined;
  const secret = randomBytes(32).toString('hex');

  before(async () => {
    dist = buildInto('dist-smoke');
    database = await createTestDatabase('sqlite');
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await database?.cleanup();
  });

  it('serves, runs one workflow to completion and exits 0 on SIGTERM', async () => {
    server = await startServerProcess(serverEnv(database, secret), [], compiledEntry(dist));
    assert.ok(!server.child.spawnargs.includes('tsx'), 'no TypeScript loader in production');
    const call = apiClient(server.url, await mintToken(secret, { userId: '1', entities: [1] }));
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    const workflowId = await publishThrough(
      call,
      workflowBuilder({ name: 'Smoke', entity_id: 1 })(
        {
          start: ['trigger_manual'],
          greet: ['action_chat_message', { message: 'Hello, {{ who }}!' }],
        },
        ['start -> greet'],
      ),
    );
    const done = await call<{ status: string; outbox: Array<{ payload: { message?: string } }> }>(
      'POST',
      `/api/v1/workflows/${workflowId}/execute`,
      { variables: { who: 'production' }, wait_for_completion: true, timeout_seconds: 20 },
    );
    assert.equal(done.status, 200, JSON.stringify(done.data));
    assert.equal(done.data.status, 'completed');
    assert.match(JSON.stringify(done.data.outbox), /Hello, production!/);
    assert.equal(await server.stop('SIGTERM'), 0, server.output());
  });
});
