/**
 * Fenced runs (REDIS_URL): a worker frozen (SIGSTOP) past its lease loses the run to another
 * worker, which resumes it from the checkpoint and finishes it; when the first worker wakes up
 * (SIGCONT), its writes are refused, it stops the run at once and delivers nothing more. The run
 * ends once, with one set of deliveries, counted at a stub router.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mintToken } from '../src/auth/jwt.ts';
import { openDatabase } from '../src/store/connect.ts';
import { findExecution } from '../src/store/executions-repository.ts';
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

const LEASE_MS = 1000;
const workflow = workflowBuilder({ name: 'Fenced', entity_id: 1 });

/** Says "one", waits, says "two": a worker frozen in the wait has delivered exactly "one". */
const ONE_WAIT_TWO = workflow(
  {
    start: ['trigger_manual'],
    one: ['action_chat_message', { message: 'one' }],
    wait: ['action_delay', { delay_ms: 4000 }],
    two: ['action_chat_message', { message: 'two' }],
  },
  ['start -> one', 'one -> wait', 'wait -> two'],
);

describe('fenced runs: a worker frozen past its lease', () => {
  let database: TestDatabase;
  let router: StubServer;
  let server: ServerProcess | undefined;
  const workers: WorkerProcess[] = [];
  const prefix = queuePrefix();
  let env: Record<string, string>;
  let call: ApiCall;

  before(async () => {
    database = await createTestDatabase();
    router = await startStubServer(() => ({ status: 200, body: { ok: true } }));
    const secret = randomBytes(32).toString('hex');
    env = serverEnv(database, secret, {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      ROUTER_URL: router.url,
      EXECUTION_LEASE_MS: String(LEASE_MS),
    });
    server = await startServerProcess(env);
    call = apiClient(server.url, await mintToken(secret, { userId: '7', entities: [1] }));
  });
  after(async () => {
    for (const worker of workers) worker.child.kill('SIGCONT');
    await Promise.all([server?.stop('SIGKILL'), ...workers.map((w) => w.stop('SIGKILL'))]);
    await router?.close();
    await removeQueueKeys(prefix);
    await database?.cleanup();
  });

  const said = (word: string) => router.received.filter((r) => r.body.includes(`"${word}"`)).length;

  it('finishes the run once, on the new holder, with one set of deliveries', async () => {
    const [first] = [await startWorkerProcess(env)];
    workers.push(first);
    const workflowId = await publishThrough(call, ONE_WAIT_TWO);
    const started = await call<{ execution_id: string }>('POST', `/api/v1/workflows/${workflowId}/execute`, {});
    assert.equal(started.status, 202);
    const id = started.data.execution_id;

    // Frozen once "one" is stored as done (a node in flight at a freeze would rightly run again).
    await until(
      '"one" delivered and stored',
      async () => {
        const got = await call<{ node_states: Record<string, { status: string }> }>(
          'GET',
          `/api/v1/workflows/executions/${id}`,
        );
        return got.data.node_states.one?.status === 'completed' ? true : undefined;
      },
      { timeoutMs: 20_000, attempts: 2000 },
    );
    first.child.kill('SIGSTOP');
    assert.equal(said('one'), 1);
    const second = await startWorkerProcess(env);
    workers.push(second);
    const handle = openDatabase(database.url, { schema: database.schema });
    try {
      // Woken as soon as the second worker took over: it is now in its own run of the wait, and
      // the first one's wait is long over, so it would say "two" at once if nothing fenced it.
      await until(
        'the second worker to take the run over',
        async () => ((await findExecution(handle.db, id))?.lease_epoch === 2 ? true : undefined),
        { timeoutMs: 30_000, attempts: 3000, intervalMs: 20 },
      );
      first.child.kill('SIGCONT');
      const done = await until(
        'the run completed by the second worker',
        async () => {
          const row = await findExecution(handle.db, id);
          return row?.status === 'completed' ? row : undefined;
        },
        { timeoutMs: 30_000, attempts: 3000, intervalMs: 50 },
      );
      // Room for anything either worker might still (wrongly) send or write.
      await sleep(1000);
      assert.equal(said('one'), 1, 'the delivery before the freeze is not repeated');
      assert.equal(said('two'), 1, 'the delivery after the takeover is made once, by the new holder');
      assert.equal(router.received.length, 2);
      const final = await findExecution(handle.db, id);
      assert.equal(final?.status, 'completed');
      assert.equal(final?.end_time, done.end_time, 'the end is written once');
      assert.equal(final?.lease_epoch, 2, 'claimed once, taken over once');
      assert.deepEqual(JSON.parse(final?.execution_path ?? '[]'), ['start', 'one', 'wait', 'two']);
      assert.match(first.output(), /lease lost/, 'the first worker stopped the run');
    } finally {
      await handle.close();
    }
  });
});
