/**
 * Live node events across processes (REDIS_URL): a run on a `worker` process is watched through
 * two `serve` processes at once, over SSE on one and gRPC WatchExecution on the other, from its
 * start and by a watcher arriving in the middle of it. Every watcher sees each node once, in run
 * order, then the end; a wait on the other API ends when the run does.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../src/auth/jwt.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
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
import { type WatchedEvent, watchGrpc, watchSse } from './helpers/watchers.ts';
import { workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Watched from afar', entity_id: 1 });
const NODES = ['start', 'first', 'wait', 'second', 'end'];
const WATCHED = workflow(
  {
    start: ['trigger_manual'],
    first: ['data_variable_set', { variables: { first: true } }],
    wait: ['action_delay', { delay_ms: 0, delay_variable: 'delay_ms' }],
    second: ['data_variable_set', { variables: { second: true } }],
    end: ['flow_end', { final_output: { done: '{{ second }}' } }],
  },
  ['start -> first', 'first -> wait', 'wait -> second', 'second -> end'],
);

function grpcPortOf(server: ServerProcess): number {
  const match = /"grpc_port":(\d+)/.exec(server.output());
  assert.ok(match, server.output());
  return Number(match[1]);
}

/** Node ids in the order they completed; fails on a node event told twice. */
function completedOrder(events: readonly WatchedEvent[]): string[] {
  const keys = events.filter((e) => !e.final).map((e) => `${e.node_id}/${e.status}`);
  assert.equal(new Set(keys).size, keys.length, `an event told twice: ${keys.join(', ')}`);
  return events.filter((e) => !e.final && e.status === 'completed').map((e) => e.node_id as string);
}

describe('live events across processes: 2 serve, 1 worker', () => {
  let database: TestDatabase;
  const prefix = queuePrefix();
  const servers: ServerProcess[] = [];
  let worker: WorkerProcess | undefined;
  let token: string;
  let calls: ApiCall[];

  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    const env = serverEnv(database, secret, { REDIS_URL, QUEUE_PREFIX: prefix });
    // One after the other: the second finds the migrations applied.
    servers.push(await startServerProcess(env));
    const [second, started] = await Promise.all([startServerProcess(env), startWorkerProcess(env)]);
    servers.push(second);
    worker = started;
    token = await mintToken(secret, { userId: '7', entities: [1] });
    calls = servers.map((server) => apiClient(server.url, token));
  });
  after(async () => {
    await Promise.all([...servers.map((s) => s.stop('SIGKILL')), worker?.stop('SIGKILL')]);
    await removeQueueKeys(prefix);
    await database?.cleanup();
  });

  it('reaches SSE and gRPC watchers on both APIs, in order, late watchers included', async () => {
    const [one] = calls;
    const workflowId = await publishThrough(one, WATCHED);
    const started = await one<{ execution_id: string }>('POST', `/api/v1/workflows/${workflowId}/execute`, {
      variables: { delay_ms: 2500 },
    });
    assert.equal(started.status, 202);
    const id = started.data.execution_id;
    const early = [
      await watchSse(servers[0].url, token, id),
      watchGrpc(grpcPortOf(servers[1]), token, id),
      await watchSse(servers[1].url, token, id),
    ];
    // Live: the worker's event for the delay reaches a watcher on the other API before the run ends.
    await until(
      'the delay seen live on the second API',
      () => (early[2].events.some((e) => e.node_id === 'wait' && e.status === 'running') ? true : undefined),
      { timeoutMs: 20_000, attempts: 2000 },
    );
    assert.ok(!early[2].events.some((e) => e.final), 'the run is still in its delay');
    const late = [await watchSse(servers[1].url, token, id), watchGrpc(grpcPortOf(servers[0]), token, id)];
    for (const watcher of [...early, ...late]) {
      const events = await watcher.done;
      assert.deepEqual(completedOrder(events), NODES);
      const last = events.at(-1);
      assert.equal(last?.final, true);
      assert.equal(last?.status, 'completed');
      assert.equal(events.filter((e) => e.final).length, 1);
    }
    // The early watchers heard the delay start live, before it completed.
    for (const watcher of early) {
      const statuses = watcher.events.filter((e) => e.node_id === 'wait').map((e) => e.status);
      assert.deepEqual(statuses, ['running', 'completed']);
    }
  });

  it('tells a watcher arriving after a retried node every attempt of it, from the worker', async () => {
    const [, two] = calls;
    const workflowId = await publishThrough(
      two,
      workflow(
        {
          start: ['trigger_manual'],
          boom: [
            'data_transform',
            { transformations: { x: '$error("boom")' } },
            { retry: { max_attempts: 3, backoff_ms: 0 } },
          ],
          wait: ['action_delay', { delay_ms: 1500 }],
        },
        ['start -> boom', 'boom:error -> wait'],
      ),
    );
    const started = await two<{ execution_id: string }>('POST', `/api/v1/workflows/${workflowId}/execute`, {});
    assert.equal(started.status, 202);
    const id = started.data.execution_id;
    // The retries are over and in the record (one summary of the node) before the watcher comes.
    await until('the node after the retries started', async () => {
      const read = await two<{ node_states: Record<string, unknown> }>('GET', `/api/v1/workflows/executions/${id}`);
      return read.data.node_states.wait ? true : undefined;
    });
    for (const events of await Promise.all([
      watchSse(servers[1].url, token, id).then((watcher) => watcher.done),
      watchGrpc(grpcPortOf(servers[0]), token, id).done,
    ])) {
      const boom = events.filter((e) => e.node_id === 'boom').map((e) => [e.status, e.attempt, e.retrying === true]);
      assert.deepEqual(boom, [
        ['running', 1, false],
        ['failed', 1, true],
        ['running', 2, false],
        ['failed', 2, true],
        ['running', 3, false],
        ['failed', 3, false],
      ]);
      // The nodes done before the watcher came are told with their run, as the worker kept them.
      const start = events.filter((e) => e.node_id === 'start').map((e) => [e.status, e.attempt]);
      assert.deepEqual(start, [
        ['running', 1],
        ['completed', 1],
      ]);
      assert.equal(events.at(-1)?.status, 'completed');
    }
  });

  it('answers a wait on an API that runs nothing once the run ends on the worker', async () => {
    const [one, two] = calls;
    const workflowId = await publishThrough(one, WATCHED);
    const waited = await two<{ status: string; execution_path: string[] }>(
      'POST',
      `/api/v1/workflows/${workflowId}/execute`,
      { variables: { delay_ms: 300 }, wait_for_completion: true, timeout_seconds: 20 },
    );
    assert.equal(waited.status, 200, JSON.stringify(waited.data));
    assert.equal(waited.data.status, 'completed');
    assert.deepEqual(waited.data.execution_path, NODES);
  });
});
