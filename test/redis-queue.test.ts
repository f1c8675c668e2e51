/**
 * Executions through the shared Redis queue (PRODUCT.md §1, REDIS_URL set): `serve` stores and
 * queues but runs nothing itself, `worker` processes run the jobs; waits, cancels and a worker's
 * crash work across processes. Real Redis at 127.0.0.1:6379 under a queue prefix of its own,
 * removed afterwards; the database is the one TEST_DATABASE picks, shared by every process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type App, createApp } from '../src/app.ts';
import { mintToken } from '../src/auth/jwt.ts';
import { loadConfig } from '../src/config.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { REDIS_URL, removeQueueKeys } from './helpers/redis.ts';
import {
  type ServerProcess,
  startServerProcess,
  startWorkerProcess,
  type WorkerProcess,
} from './helpers/server-process.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

type Execution = { status: string; execution_path: string[]; final_variables: Record<string, unknown> | null };
type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; data: Execution }>;

/** start → mark → wait (delay_ms from the variables) → finish. */
const DELAYED = {
  name: 'Queued through Redis',
  entity_id: 1,
  nodes: {
    start: { node_type: 'trigger_manual' },
    mark: { node_type: 'data_variable_set', config: { variables: { marked: true } } },
    wait: { node_type: 'action_delay', config: { delay_ms: 0, delay_variable: 'delay_ms' } },
    finish: { node_type: 'data_variable_set', config: { variables: { finished: true } } },
  },
  connections: [
    { from_node_id: 'start', from_port_name: 'output', to_node_id: 'mark', to_port_name: 'input' },
    { from_node_id: 'mark', from_port_name: 'output', to_node_id: 'wait', to_port_name: 'input' },
    { from_node_id: 'wait', from_port_name: 'output', to_node_id: 'finish', to_port_name: 'input' },
  ],
};

async function publishedWorkflow(call: Call): Promise<string> {
  const created = await call('POST', '/api/v1/workflows', DELAYED);
  assert.equal(created.status, 201);
  const workflowId = (created.data as unknown as { workflow_id: string }).workflow_id;
  assert.equal((await call('POST', `/api/v1/workflows/${workflowId}/publish`)).status, 200);
  return workflowId;
}

async function startRun(call: Call, workflowId: string, delayMs: number): Promise<string> {
  const started = await call('POST', `/api/v1/workflows/${workflowId}/execute`, { variables: { delay_ms: delayMs } });
  assert.equal(started.status, 202);
  return (started.data as unknown as { execution_id: string }).execution_id;
}

/** Polls the execution until `done` holds (about 20 s at most). */
async function until(call: Call, id: string, what: string, done: (e: Execution) => boolean): Promise<Execution> {
  let last: Execution | undefined;
  for (let i = 0; i < 400; i++) {
    last = (await call('GET', `/api/v1/workflows/executions/${id}`)).data;
    if (done(last)) return last;
    await sleep(50);
  }
  throw new Error(`execution ${id} never ${what}: ${JSON.stringify(last)}`);
}

const inDelay = (e: Execution) => e.execution_path.includes('mark');
const ended = (e: Execution) => e.status !== 'queued' && e.status !== 'running';
const endedByRun = (e: Execution) => ended(e) && e.final_variables?.marked === true;

describe('executions through Redis: two apps in one process', () => {
  let database: TestDatabase;
  const prefix = `wfct${randomBytes(5).toString('hex')}`;
  let api: App;
  let worker: App;
  let call: Call;

  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    const config = loadConfig({
      // Not the default 50070: another test or process on this machine may hold it.
      GRPC_PORT: '0',
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      JWT_SECRET: secret,
      LOG_LEVEL: 'silent',
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      SHUTDOWN_GRACE_MS: '200',
    });
    // With REDIS_URL, a serve-like app runs no workers; the worker app runs nothing else.
    api = await createApp(config, { databaseSchema: database.schema, background: true });
    worker = await createApp(config, { databaseSchema: database.schema, workerOnly: true });
    const token = await mintToken(secret, { userId: '7', entities: [1] });
    call = async (method, url, payload) => {
      const response = await api.http.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload ? { payload: payload as Record<string, unknown> } : {}),
      });
      return { status: response.statusCode, data: (JSON.parse(response.body) as { data: Execution }).data };
    };
  });
  after(async () => {
    await api?.close();
    await worker?.close();
    await removeQueueKeys(prefix);
    await database?.cleanup();
  });

  it('runs executions started on the API app on the worker app, and waits for them across apps', async () => {
    assert.equal(api.context.workers, false);
    assert.equal(worker.context.workers, true);
    const workflowId = await publishedWorkflow(call);
    const ids = await Promise.all([1, 2, 3, 4].map(() => startRun(call, workflowId, 0)));
    const waited = await call('POST', `/api/v1/workflows/${workflowId}/execute`, {
      variables: { delay_ms: 50 },
      wait_for_completion: true,
      timeout_seconds: 15,
    });
    assert.equal(waited.status, 200, JSON.stringify(waited.data));
    assert.equal(waited.data.status, 'completed');
    assert.deepEqual(waited.data.execution_path, ['start', 'mark', 'wait', 'finish']);
    for (const id of ids) {
      const done = await until(call, id, 'ended', ended);
      assert.equal(done.status, 'completed');
      assert.equal(done.final_variables?.finished, true);
    }
  });

  it('cancels, through the API app, a run sitting in a delay on the worker app', async () => {
    const workflowId = await publishedWorkflow(call);
    const id = await startRun(call, workflowId, 20_000);
    await until(call, id, 'reached the delay', inDelay);
    const cancelled = await call('POST', `/api/v1/workflows/executions/${id}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.data.status, 'cancelled');
    // The run's own end (its variables), written where it ran: the worker really aborted it.
    const after = await until(call, id, 'ended by its worker', endedByRun);
    assert.equal(after.status, 'cancelled');
    assert.equal(after.final_variables?.marked, true);
    assert.equal(after.final_variables?.finished, undefined, 'the node after the delay never ran');
    assert.ok(!after.execution_path.includes('finish'));
  });
});

describe('executions through Redis: `serve` and `worker` processes', () => {
  let database: TestDatabase;
  const prefix = `wfct${randomBytes(5).toString('hex')}`;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  const workers: WorkerProcess[] = [];
  let call: Call;

  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      JWT_SECRET: secret,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      ...(database.schema ? { DATABASE_SCHEMA: database.schema } : {}),
    };
    // serve first: it applies the migrations the worker then finds done.
    server = await startServerProcess(env);
    workers.push(await startWorkerProcess(env));
    const token = await mintToken(secret, { userId: '7', entities: [1] });
    call = async (method, path, body) => {
      const response = await fetch(`${server?.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, data: ((await response.json()) as { data: Execution }).data };
    };
  });
  after(async () => {
    await Promise.all([server?.stop('SIGKILL'), ...workers.map((w) => w.stop('SIGKILL'))]);
    await removeQueueKeys(prefix);
    await database?.cleanup();
  });

  it('completes on the worker what was started through serve, answering a wait on serve', async () => {
    const workflowId = await publishedWorkflow(call);
    const waited = await call('POST', `/api/v1/workflows/${workflowId}/execute`, {
      variables: { delay_ms: 10 },
      wait_for_completion: true,
      timeout_seconds: 15,
    });
    assert.equal(waited.status, 200, JSON.stringify(waited.data));
    assert.equal(waited.data.status, 'completed');
    assert.equal(waited.data.final_variables?.finished, true);
  });

  it('cancel through serve stops a run sitting in a delay on the worker', async () => {
    const workflowId = await publishedWorkflow(call);
    const id = await startRun(call, workflowId, 20_000);
    await until(call, id, 'reached the delay', inDelay);
    const cancelled = await call('POST', `/api/v1/workflows/executions/${id}/cancel`);
    assert.equal(cancelled.status, 200);
    // The run's own end (its variables), written where it ran: the worker really aborted it.
    const after = await until(call, id, 'ended by its worker', endedByRun);
    assert.equal(after.status, 'cancelled');
    assert.equal(after.final_variables?.marked, true);
    assert.equal(after.final_variables?.finished, undefined, 'the node after the delay never ran');
    assert.ok(!after.execution_path.includes('finish'));
  });

  it('finishes every run after the worker is killed with SIGKILL and another worker starts', async () => {
    const workflowId = await publishedWorkflow(call);
    const ids = await Promise.all([1, 2, 3, 4].map(() => startRun(call, workflowId, 1500)));
    for (const id of ids) await until(call, id, 'reached the delay', inDelay);
    assert.equal(await workers[0].stop('SIGKILL'), null);
    // With no worker left, serve runs nothing: a new run waits in the queue.
    const queuedId = await startRun(call, workflowId, 0);
    await sleep(300);
    assert.equal((await call('GET', `/api/v1/workflows/executions/${queuedId}`)).data.status, 'queued');

    workers.push(await startWorkerProcess(env));
    for (const id of [...ids, queuedId]) {
      const done = await until(call, id, 'ended', ended);
      assert.equal(done.status, 'completed', `execution ${id}: ${JSON.stringify(done)}`);
      assert.deepEqual(done.execution_path, ['start', 'mark', 'wait', 'finish']);
    }
    assert.equal(await workers[1].stop('SIGTERM'), 0, workers[1].output());
  });

  it('refuses to start a worker without REDIS_URL, naming it in one line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker'], {
      env: { ...process.env, ...env, REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr.trim(), /^workflow-core: REDIS_URL: [^\n]+$/);
  });
});
