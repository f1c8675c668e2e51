/**
 * With REDIS_URL, `serve` only queues (PRODUCT.md §1): when no `worker` process runs, the user must
 * be told why runs stay `queued`. `serve` warns in its log once jobs wait and no worker has been
 * seen for WORKER_ABSENT_WARN_SECONDS, and `/api/v1/status` reports the live worker count. Real
 * Redis under a queue prefix of its own; the database is the one TEST_DATABASE picks.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { mintToken } from '../src/auth/jwt.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { REDIS_URL, removeQueueKeys } from './helpers/redis.ts';
import {
  type ServerProcess,
  serverEnv,
  startServerProcess,
  startWorkerProcess,
  type WorkerProcess,
} from './helpers/server-process.ts';

type QueueAnswer = { backend: string; waiting: number | null; running: number | null; workers: number | null };

const WORKFLOW = {
  name: 'Waits for a worker',
  entity_id: 1,
  nodes: {
    start: { node_type: 'trigger_manual' },
    mark: { node_type: 'data_variable_set', config: { variables: { marked: true } } },
  },
  connections: [{ from_node_id: 'start', from_port_name: 'output', to_node_id: 'mark', to_port_name: 'input' }],
};

async function eventually<T>(what: string, look: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const found = await look();
    if (found !== undefined) return found;
    await sleep(100);
  }
  throw new Error(`never: ${what}`);
}

describe('serve with REDIS_URL and no worker', () => {
  let database: TestDatabase;
  const prefix = `wfct${randomBytes(5).toString('hex')}`;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let worker: WorkerProcess | undefined;
  let token: string;

  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    env = serverEnv(database, secret, { REDIS_URL, QUEUE_PREFIX: prefix, WORKER_ABSENT_WARN_SECONDS: '1' });
    server = await startServerProcess(env);
    token = await mintToken(secret, { userId: '7', entities: [1] });
  });
  after(async () => {
    await Promise.all([server?.stop('SIGKILL'), worker?.stop('SIGKILL')]);
    await removeQueueKeys(prefix);
    await database?.cleanup();
  });

  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server?.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, data: ((await response.json()) as { data: Record<string, unknown> }).data };
  }
  const queue = async () => (await call('GET', '/api/v1/status')).data.queue as QueueAnswer;

  it('warns in the log that runs wait with no worker, shows 0 workers, and runs them once a worker starts', async () => {
    const created = await call('POST', '/api/v1/workflows', WORKFLOW);
    assert.equal(created.status, 201);
    const workflowId = created.data.workflow_id as string;
    assert.equal((await call('POST', `/api/v1/workflows/${workflowId}/publish`)).status, 200);
    const started = await call('POST', `/api/v1/workflows/${workflowId}/execute`, {});
    assert.equal(started.status, 202);
    const executionId = started.data.execution_id as string;

    const warning = await eventually('serve warns about the missing worker', async () =>
      server
        ?.output()
        .split('\n')
        .find((line) => line.includes('no worker has been seen')),
    );
    assert.match(warning, /"level":40/);
    assert.match(warning, /workflow-core worker/);
    assert.deepEqual(await queue(), { backend: 'redis', waiting: 1, running: 0, workers: 0 });
    assert.equal((await call('GET', `/api/v1/workflows/executions/${executionId}`)).data.status, 'queued');

    worker = await startWorkerProcess(env);
    const ended = await eventually('the waiting run completes on the new worker', async () => {
      const { data } = await call('GET', `/api/v1/workflows/executions/${executionId}`);
      return data.status === 'completed' ? data : undefined;
    });
    assert.equal((ended.final_variables as Record<string, unknown>).marked, true);
    const seen = await queue();
    assert.equal(seen.workers, 1);
    assert.equal(seen.waiting, 0);
  });

  it('answers a crowd of status calls with a few worker counts, not one CLIENT LIST each', async () => {
    const redis = new Redis(REDIS_URL);
    const clientLists = async () => {
      const stats = await redis.info('commandstats');
      return Number(/cmdstat_client\|list:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    };
    try {
      const before = await clientLists();
      const answers = await Promise.all(Array.from({ length: 200 }, () => queue()));
      const counted = (await clientLists()) - before;
      for (const answer of answers) assert.equal(answer.workers, 1);
      // One per call would be 200 at least. Calls share a look only while one is in flight, so how
      // many share depends on how they arrive (5 to 80 seen here); other files' servers count too.
      assert.ok(counted < 150, `${counted} CLIENT LIST calls for 200 status calls`);
    } finally {
      await redis.quit();
    }
  });
});
