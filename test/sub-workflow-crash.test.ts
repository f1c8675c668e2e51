/**
 * One child per calling node run across a crash: a parent waits on a sub-workflow that sits in a
 * delay and then says something (counted at a stub router); the server is killed with SIGKILL in
 * that delay and started again on the same database. Both runs resume, and the parent's
 * action_workflow, run again from its checkpoint, finds the child it started instead of starting
 * a second one: the parent completes with the child's output, one child, one delivery. In a
 * foreach the same holds per item. Both in a single process and with a shared queue (REDIS_URL),
 * where the process that dies and starts again is the worker.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../src/auth/jwt.ts';
import { openDatabase } from '../src/store/connect.ts';
import type { ExecutionRow } from '../src/store/database.ts';
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
import { type StubServer, startStubServer } from './helpers/stub-server.ts';
import { workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Called once', entity_id: 1 });

/** Waits, then says "child says <n>" and answers `{said: n}`. */
const CHILD = workflow(
  {
    start: ['trigger_manual'],
    wait: ['action_delay', { delay_ms: 2500 }],
    say: ['action_chat_message', { message: 'child says {{ n }}' }],
    end: ['flow_end', { final_output: { said: '{{ n }}' } }],
  },
  ['start -> wait', 'wait -> say', 'say -> end'],
);

const MODES = [
  { name: 'a single process', shared: false },
  { name: 'a shared queue', shared: true },
] as const;

for (const mode of MODES) {
  describe(`sub-workflows across a crash: ${mode.name}`, () => {
    let database: TestDatabase;
    let router: StubServer;
    let server: ServerProcess | undefined;
    /** With a shared queue, the process that runs the jobs (serve only stores and queues them). */
    let worker: WorkerProcess | undefined;
    const prefix = queuePrefix();
    let env: Record<string, string>;
    let token: string;
    let call: ApiCall;
    let childId: string;

    before(async () => {
      database = await createTestDatabase();
      router = await startStubServer(() => ({ status: 200, body: { ok: true } }));
      const secret = randomBytes(32).toString('hex');
      const shared: Record<string, string> = mode.shared
        ? { REDIS_URL, QUEUE_PREFIX: prefix, EXECUTION_LEASE_MS: '1000' }
        : {};
      env = serverEnv(database, secret, { ROUTER_URL: router.url, SHUTDOWN_GRACE_MS: '300', ...shared });
      token = await mintToken(secret, { userId: '7', entities: [1] });
      server = await startServerProcess(env);
      if (mode.shared) worker = await startWorkerProcess(env);
      call = apiClient(server.url, token);
      childId = await publishThrough(call, CHILD);
    });
    after(async () => {
      await Promise.all([server?.stop('SIGKILL'), worker?.stop('SIGKILL')]);
      await router?.close();
      if (mode.shared) await removeQueueKeys(prefix);
      await database?.cleanup();
    });

    const said = (text: string) => router.received.filter((r) => r.body.includes(text)).length;

    async function childrenOf(parentId: string): Promise<ExecutionRow[]> {
      const handle = openDatabase(database.url, { schema: database.schema });
      try {
        return await handle.db
          .selectFrom('executions')
          .selectAll()
          .where('parent_execution_id', '=', parentId)
          .orderBy('queued_at')
          .execute();
      } finally {
        await handle.close();
      }
    }

    /** Stops the server (`signal`) once a child of `parentId` answering `ready` sits in its delay, then starts it again. */
    async function crashWhileChildWaits(
      parentId: string,
      ready: (child: ExecutionRow) => boolean,
      signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL',
    ): Promise<void> {
      await until(
        'a child in its delay',
        async () => {
          const waiting = (await childrenOf(parentId)).find((child) => {
            const states = JSON.parse(child.checkpoint ?? '{}').node_states as Record<string, { status: string }>;
            return ready(child) && states?.wait?.status === 'running';
          });
          return waiting ? true : undefined;
        },
        { timeoutMs: 30_000, attempts: 3000, intervalMs: 20 },
      );
      const runner = mode.shared ? worker : server;
      assert.equal(await runner?.stop(signal), signal === 'SIGKILL' ? null : 0);
      if (mode.shared) {
        worker = await startWorkerProcess(env);
        return;
      }
      server = await startServerProcess(env);
      call = apiClient(server.url, token);
    }

    async function ended(executionId: string) {
      return until(
        'the parent to end',
        async () => {
          const got = await call<{ status: string; final_output: Record<string, unknown> | null }>(
            'GET',
            `/api/v1/workflows/executions/${executionId}`,
          );
          return got.data.status === 'queued' || got.data.status === 'running' ? undefined : got.data;
        },
        { timeoutMs: 60_000, attempts: 6000, intervalMs: 50 },
      );
    }

    /** Starts a parent that waits on the child called with `n`; answers the parent run's id. */
    async function startParent(n: string): Promise<string> {
      const parentWorkflow = await publishThrough(
        call,
        workflow(
          {
            start: ['trigger_manual'],
            child: ['action_workflow', { workflow_id: childId, input: { n }, timeout_seconds: 120 }],
            end: ['flow_end', { final_output: { got: '{{ nodes.child.output.said }}' } }],
          },
          ['start -> child', 'child -> end'],
        ),
      );
      const started = await call<{ execution_id: string }>('POST', `/api/v1/workflows/${parentWorkflow}/execute`, {});
      assert.equal(started.status, 202);
      return started.data.execution_id;
    }

    /** The parent completed with its child's answer, one child, one delivery. */
    async function calledOnce(parentId: string, n: string): Promise<void> {
      const parent = await ended(parentId);
      assert.equal(parent.status, 'completed', JSON.stringify(parent));
      assert.deepEqual(parent.final_output, { got: n });
      const children = await childrenOf(parentId);
      assert.deepEqual(
        children.map((child) => [child.parent_node_id, child.status]),
        [['child', 'completed']],
        'one child for the node run',
      );
      assert.equal(said(`child says ${n}`), 1, 'the child delivered once');
    }

    it('a parent waiting on its child across kill -9: one child, one delivery, the child output', async () => {
      const parentId = await startParent('solo');
      await crashWhileChildWaits(parentId, () => true);
      await calledOnce(parentId, 'solo');
    });

    it('a graceful restart does not cancel the child it waits on: both go on after the restart', async () => {
      const parentId = await startParent('termed');
      await crashWhileChildWaits(parentId, () => true, 'SIGTERM');
      await calledOnce(parentId, 'termed');
    });

    it('a foreach calling the child per item: one child and one delivery per item', async () => {
      const parentWorkflow = await publishThrough(
        call,
        workflow(
          {
            start: ['trigger_manual'],
            each: ['loop_foreach', { array_variable: 'items' }],
            child: ['action_workflow', { workflow_id: childId, input: { n: 'item {{ item }}' }, timeout_seconds: 120 }],
            end: ['flow_end', { final_output: { done: true } }],
          },
          ['start -> each', 'each:loop -> child', 'child -> each', 'each:done -> end'],
        ),
      );
      const started = await call<{ execution_id: string }>('POST', `/api/v1/workflows/${parentWorkflow}/execute`, {
        variables: { items: ['a', 'b', 'c'] },
      });
      assert.equal(started.status, 202);
      const parentId = started.data.execution_id;
      // In the second item's child: the first child is done, the third not started.
      await crashWhileChildWaits(parentId, (child) => child.request.includes('item b'));

      const parent = await ended(parentId);
      assert.equal(parent.status, 'completed', JSON.stringify(parent));
      const children = await childrenOf(parentId);
      assert.deepEqual(
        children.map((child) => [JSON.parse(child.request).variables.n, child.status]),
        [
          ['item a', 'completed'],
          ['item b', 'completed'],
          ['item c', 'completed'],
        ],
        'one child per item',
      );
      assert.equal(new Set(children.map((child) => child.parent_call_key)).size, 3);
      for (const item of ['a', 'b', 'c'])
        assert.equal(said(`child says item ${item}`), 1, `item ${item} delivered once`);
    });
  });
}
