/**
 * Nothing is stranded by a database outage of a worker (REDIS_URL): a worker that cannot reach
 * PostgreSQL fails its jobs' attempts (BullMQ gives a job up after a few), and the runs stay
 * `queued` with no job left to run them. Once the database is back, the worker finds those runs
 * by itself (no restart) and completes them. The worker reaches PostgreSQL through a proxy the
 * test cuts; `serve` keeps its own connection, so it accepts the runs meanwhile.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { mintToken } from '../src/auth/jwt.ts';
import { EXECUTION_QUEUE_NAME } from '../src/queue/bullmq-queue.ts';
import { createTestDatabase, POSTGRES_URL, type TestDatabase } from './helpers/database.ts';
import { until } from './helpers/polling.ts';
import { type ApiCall, apiClient, publishThrough } from './helpers/process-api.ts';
import { queuePrefix, REDIS_URL, removeQueueKeys } from './helpers/redis.ts';
import {
  type ServerProcess,
  serverEnv,
  startServerProcess,
  startWorkerProcess,
  type WorkerProcess,
} from './helpers/server-process.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';
import { workflowBuilder } from './helpers/workflows.ts';

const RUNS = 5;
const SIMPLE = workflowBuilder({ name: 'Recovered', entity_id: 1 })(
  {
    start: ['trigger_manual'],
    mark: ['data_variable_set', { variables: { marked: true } }],
  },
  ['start -> mark'],
);

describe('runs stranded by a worker database outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess | undefined;
  let worker: WorkerProcess | undefined;
  let redis: Redis;
  let jobs: Queue;
  const prefix = queuePrefix();
  let call: ApiCall;

  before(async () => {
    database = await createTestDatabase('postgres');
    const target = new URL(POSTGRES_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const secret = randomBytes(32).toString('hex');
    const env = serverEnv(database, secret, { REDIS_URL, QUEUE_PREFIX: prefix, EXECUTION_LEASE_MS: '1000' });
    server = await startServerProcess(env);
    const proxied = new URL(POSTGRES_URL);
    proxied.host = `127.0.0.1:${proxy.port}`;
    worker = await startWorkerProcess({ ...env, DATABASE_URL: proxied.toString() });
    call = apiClient(server.url, await mintToken(secret, { userId: '7', entities: [1] }));
    redis = new Redis(REDIS_URL);
    jobs = new Queue(EXECUTION_QUEUE_NAME, { connection: redis, prefix });
  });
  after(async () => {
    await Promise.all([server?.stop('SIGKILL'), worker?.stop('SIGKILL')]);
    await jobs?.close();
    redis?.disconnect();
    await proxy?.close();
    await removeQueueKeys(prefix);
    await database?.cleanup();
  });

  it('completes, once the database is back, runs whose jobs failed meanwhile', async () => {
    const workflowId = await publishThrough(call, SIMPLE);
    proxy.cut();
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = await call<{ execution_id: string }>('POST', `/api/v1/workflows/${workflowId}/execute`, {});
      assert.equal(started.status, 202, JSON.stringify(started.data));
      ids.push(started.data.execution_id);
    }
    // Every attempt failed: BullMQ holds no job that would run these any more.
    await until(
      'the jobs to fail all their attempts',
      async () => ((await jobs.getJobCounts('failed')).failed === RUNS ? true : undefined),
      { intervalMs: 200, timeoutMs: 30_000, attempts: 1000 },
    );
    proxy.restore();
    for (const id of ids) {
      const done = await until(
        `run ${id} to complete`,
        async () => {
          const got = await call<{ status: string; execution_path: string[] }>(
            'GET',
            `/api/v1/workflows/executions/${id}`,
          );
          return got.data.status === 'completed' ? got.data : undefined;
        },
        { intervalMs: 200, timeoutMs: 30_000, attempts: 1000 },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${worker?.output().slice(-3000)}`);
      });
      assert.deepEqual(done.execution_path, ['start', 'mark']);
    }
  });
});
