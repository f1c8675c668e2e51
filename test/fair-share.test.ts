/**
 * Fair share (PRODUCT.md §5, issue 9 finding 7): one tenant cannot starve another.
 * `ENTITY_CONCURRENCY` (default half of `EXECUTION_CONCURRENCY`) caps one entity's running runs,
 * so another entity's execute-and-wait still completes; `settings.max_parallel_executions` runs
 * a workflow's executions one (or N) at a time, in order; `/test` waits for a slot like any run;
 * queued runs are held by id and read from the store when they start; a run held back by a cap
 * starts once a slot frees, after a restart too. Each path is checked in-process (SQLite or
 * PostgreSQL, as TEST_DATABASE picks) and through the Redis queue with worker apps (the
 * workflow cap across two workers; a run waiting behind one whose job was lost is not stuck).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type App, createApp } from '../src/app.ts';
import { mintToken } from '../src/auth/jwt.ts';
import { loadConfig } from '../src/config.ts';
import { EXECUTION_QUEUE_NAME } from '../src/queue/bullmq-queue.ts';
import { ABANDONED_TEST_MESSAGE } from '../src/services/run-ends.ts';
import { createTestApp, json, type TestApp, testAppEnv } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { until } from './helpers/polling.ts';
import { REDIS_URL, removeQueueKeys } from './helpers/redis.ts';

type Run = {
  execution_id: string;
  status: string;
  start_time: string | null;
  end_time: string | null;
  execution_path: string[];
  final_variables: Record<string, unknown> | null;
};

/** Something that answers like the API: an in-process app, or the API app of a Redis pair. */
type Call = (
  method: 'GET' | 'POST',
  url: string,
  token: string,
  payload?: object,
) => Promise<{ status: number; data: Record<string, unknown> }>;

const callOf =
  (inject: (options: object) => Promise<{ statusCode: number; body: string }>): Call =>
  async (method, url, token, payload) => {
    const response = await inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, data: (JSON.parse(response.body) as { data: Record<string, unknown> }).data };
  };

/** start → wait `delay_ms` (from the variables) → set `done`; `settings` as given. */
function delayWorkflow(entityId: number, settings: Record<string, unknown> = {}) {
  return {
    name: `Delay ${entityId}`,
    entity_id: entityId,
    settings,
    nodes: {
      start: { node_type: 'trigger_manual' },
      wait: { node_type: 'action_delay', config: { delay_ms: 0, delay_variable: 'delay_ms' } },
      after: { node_type: 'data_variable_set', config: { variables: { done: true } } },
    },
    connections: [
      { from_node_id: 'start', from_port_name: 'output', to_node_id: 'wait', to_port_name: 'input' },
      { from_node_id: 'wait', from_port_name: 'output', to_node_id: 'after', to_port_name: 'input' },
    ],
  };
}

async function published(call: Call, token: string, definition: object): Promise<string> {
  const created = await call('POST', '/api/v1/workflows', token, definition);
  assert.equal(created.status, 201, JSON.stringify(created.data));
  const workflowId = created.data.workflow_id as string;
  const publish = await call('POST', `/api/v1/workflows/${workflowId}/publish`, token);
  assert.equal(publish.status, 200, JSON.stringify(publish.data));
  return workflowId;
}

async function start(call: Call, token: string, workflowId: string, variables: object): Promise<string> {
  const started = await call('POST', `/api/v1/workflows/${workflowId}/execute`, token, { variables });
  assert.equal(started.status, 202, JSON.stringify(started.data));
  return started.data.execution_id as string;
}

const read = async (call: Call, token: string, id: string) =>
  (await call('GET', `/api/v1/workflows/executions/${id}`, token)).data as unknown as Run;

const ended = (run: Run) => run.status !== 'queued' && run.status !== 'running';

async function waitFor(call: Call, token: string, id: string, what: string, done: (run: Run) => boolean) {
  return until(
    `${id} ${what}`,
    async () => {
      const run = await read(call, token, id);
      return done(run) ? run : undefined;
    },
    { intervalMs: 25, attempts: 800 },
  );
}

/** Statuses of `ids` once the caps settled: `expectedRunning` of them running (no more start meanwhile). */
async function settled(call: Call, token: string, ids: readonly string[], expectedRunning: number) {
  return until(
    'the runs to settle',
    async () => {
      const runs = await Promise.all(ids.map((id) => read(call, token, id)));
      const inDelay = runs.filter((run) => run.status === 'running' && run.execution_path.includes('wait'));
      return inDelay.length >= expectedRunning ? runs : undefined;
    },
    { intervalMs: 25, attempts: 800 },
  );
}

async function cancelAll(call: Call, token: string, ids: readonly string[]) {
  for (const id of ids) {
    const answer = await call('POST', `/api/v1/workflows/executions/${id}/cancel`, token);
    assert.ok(answer.status === 200 || answer.status === 400, JSON.stringify(answer.data));
  }
  for (const id of ids) await waitFor(call, token, id, 'ended', ended);
}

/** The scenarios both queue paths must pass. */
function capsHold(setup: () => { call: Call; tokenA: string; tokenB: string }) {
  it('one entity flooding long runs leaves the other entity an execute-and-wait that completes', async () => {
    const { call, tokenA, tokenB } = setup();
    const flood = await published(call, tokenA, delayWorkflow(1));
    const victim = await published(call, tokenB, delayWorkflow(2));
    const ids: string[] = [];
    try {
      for (let i = 0; i < 10; i++) ids.push(await start(call, tokenA, flood, { delay_ms: 60_000 }));
      await settled(call, tokenA, ids, 2);
      const waited = await call('POST', `/api/v1/workflows/${victim}/execute`, tokenB, {
        variables: { delay_ms: 10 },
        wait_for_completion: true,
        timeout_seconds: 10,
      });
      assert.equal(waited.status, 200, JSON.stringify(waited.data));
      assert.equal(waited.data.status, 'completed');
      // EXECUTION_CONCURRENCY 4: ENTITY_CONCURRENCY defaults to half, so 2 of entity 1 run.
      const runs = await Promise.all(ids.map((id) => read(call, tokenA, id)));
      assert.equal(runs.filter((run) => run.status === 'running').length, 2, 'two of entity 1 run');
      assert.equal(runs.filter((run) => run.status === 'queued').length, 8, 'the rest wait queued');
    } finally {
      await cancelAll(call, tokenA, ids);
    }
  });

  it('max_parallel_executions 1 runs a workflow one at a time, in the order started', async () => {
    const { call, tokenA } = setup();
    await oneAtATime(call, tokenA);
  });
}

/** Runs of a workflow with max_parallel_executions 1 end before the next starts, in the order started. */
async function oneAtATime(call: Call, token: string) {
  const workflowId = await published(call, token, delayWorkflow(1, { max_parallel_executions: 1 }));
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(await start(call, token, workflowId, { delay_ms: 150, n: i }));
  const runs: Run[] = [];
  for (const id of ids) runs.push(await waitFor(call, token, id, 'ended', ended));
  for (const run of runs) assert.equal(run.status, 'completed');
  for (let i = 1; i < runs.length; i++) {
    const previous = runs[i - 1] as Run;
    const run = runs[i] as Run;
    assert.ok(
      Date.parse(run.start_time as string) >= Date.parse(previous.end_time as string),
      `run ${i} started (${run.start_time}) before run ${i - 1} ended (${previous.end_time})`,
    );
  }
}

/** An API app and `workers` worker apps on one database and one Redis queue prefix. */
function redisApps(workers: number) {
  const apps: App[] = [];
  const state = { call: undefined as unknown as Call, tokenA: '', tokenB: '', prefix: '' };
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase();
    state.prefix = `wfct${randomBytes(5).toString('hex')}`;
    const secret = randomBytes(32).toString('hex');
    const config = loadConfig({
      ...testAppEnv(database, secret),
      REDIS_URL,
      QUEUE_PREFIX: state.prefix,
      SHUTDOWN_GRACE_MS: '200',
      EXECUTION_CONCURRENCY: '4',
    });
    const api = await createApp(config, { databaseSchema: database.schema, background: true });
    apps.push(api);
    for (let i = 0; i < workers; i++) {
      apps.push(await createApp(config, { databaseSchema: database.schema, workerOnly: true }));
    }
    state.call = callOf((options) => api.http.inject(options as never));
    state.tokenA = await mintToken(secret, { userId: 'tenant-a', entities: [1] });
    state.tokenB = await mintToken(secret, { userId: 'tenant-b', entities: [2] });
  });
  after(async () => {
    for (const app of apps) await app.close();
    await removeQueueKeys(state.prefix);
    await database?.cleanup();
  });
  return state;
}

describe('fair share: in-process runner', () => {
  let t: TestApp;
  let call: Call;
  let tokenA: string;
  let tokenB: string;
  let tokenC: string;

  before(async () => {
    t = await createTestApp({ EXECUTION_CONCURRENCY: '4' });
    tokenC = await t.token({ userId: 'tenant-c', entities: [3] });
    call = callOf((options) => t.app.http.inject(options as never));
    tokenA = await t.token({ userId: 'tenant-a', entities: [1] });
    tokenB = await t.token({ userId: 'tenant-b', entities: [2] });
  });
  after(() => t.close());

  capsHold(() => ({ call, tokenA, tokenB }));

  /** Long runs fill the slots `fill` names; a `/test` by `tester` waits until one of them ends. */
  async function testWaitsFor(
    fill: ReadonlyArray<readonly [token: string, entityId: number]>,
    tester: string,
    entity: number,
  ) {
    const ids: Array<readonly [string, string]> = [];
    try {
      for (const [token, entityId] of fill) {
        const long = await published(call, token, delayWorkflow(entityId));
        ids.push([token, await start(call, token, long, { delay_ms: 60_000 })]);
      }
      for (const [token, id] of ids) await settled(call, token, [id], 1);
      const draft = await call('POST', '/api/v1/workflows', tester, delayWorkflow(entity));
      const draftId = draft.data.workflow_id as string;
      const tested = call('POST', `/api/v1/workflows/${draftId}/test`, tester, { variables: { delay_ms: 5 } });
      const held = await until('the test run to be stored', async () => {
        const url = `/api/v1/workflows/${draftId}/executions?community_id=1&include_test=true`;
        return ((await call('GET', url, tester)).data as unknown as Run[])[0];
      });
      assert.equal(held.status, 'queued', 'the test run waits while the slots are taken');
      for (const [token, id] of ids) assert.equal((await read(call, token, id)).status, 'running');
      const [token, freed] = ids[ids.length - 1] as readonly [string, string];
      await call('POST', `/api/v1/workflows/executions/${freed}/cancel`, token);
      const answer = await tested;
      assert.equal(answer.status, 200, JSON.stringify(answer.data));
      assert.equal(answer.data.status, 'completed');
    } finally {
      for (const [token, id] of ids) await cancelAll(call, token, [id]);
    }
  }

  it('/test waits for a slot of its entity (ENTITY_CONCURRENCY), then answers', async () => {
    await testWaitsFor(
      [
        [tokenA, 1],
        [tokenA, 1],
      ],
      tokenA,
      1,
    );
  });

  it('/test waits for a slot of the process (EXECUTION_CONCURRENCY), then answers', async () => {
    await testWaitsFor(
      [
        [tokenA, 1],
        [tokenA, 1],
        [tokenB, 2],
        [tokenB, 2],
      ],
      tokenC,
      3,
    );
  });

  it('a queued run is held by id: it runs with its request as stored when it starts', async () => {
    const workflowId = await published(call, tokenA, delayWorkflow(1, { max_parallel_executions: 1 }));
    const blocker = await start(call, tokenA, workflowId, { delay_ms: 60_000 });
    const queued: string[] = [];
    try {
      await settled(call, tokenA, [blocker], 1);
      const big = 'x'.repeat(200_000);
      for (let i = 0; i < 20; i++) queued.push(await start(call, tokenA, workflowId, { delay_ms: 0, big, n: i }));
      // What the store holds is what runs: no copy of the queued payloads waits in memory.
      const request = JSON.stringify({ trigger_data: {}, variables: { delay_ms: 0, n: 'from the store' } });
      for (const id of queued) {
        await t.app.database.db.updateTable('executions').set({ request }).where('execution_id', '=', id).execute();
      }
    } finally {
      await cancelAll(call, tokenA, [blocker]);
    }
    for (const id of queued) {
      const run = await waitFor(call, tokenA, id, 'ended', ended);
      assert.equal(run.status, 'completed');
      assert.equal(run.final_variables?.n, 'from the store');
      assert.equal(run.final_variables?.big, undefined);
    }
  });
});

describe('fair share: a held run after a restart', () => {
  let database: TestDatabase;
  let secret: string;
  let app: App | undefined;
  let token: string;

  const boot = async () => {
    const config = loadConfig({
      ...testAppEnv(database, secret),
      SHUTDOWN_GRACE_MS: '200',
      EXECUTION_CONCURRENCY: '4',
    });
    app = await createApp(config, { databaseSchema: database.schema, background: true });
    const current = app;
    return callOf((options) => current.http.inject(options as never));
  };

  before(async () => {
    database = await createTestDatabase();
    secret = randomBytes(32).toString('hex');
    token = await mintToken(secret, { userId: 'restart', entities: [1] });
  });
  after(async () => {
    await app?.close();
    await database.cleanup();
  });

  it('starts a run held back by a cap once the slot frees after a restart; a waiting test run ends failed', async () => {
    let call = await boot();
    const workflowId = await published(call, token, delayWorkflow(1, { max_parallel_executions: 1 }));
    const first = await start(call, token, workflowId, { delay_ms: 60_000 });
    const second = await start(call, token, workflowId, { delay_ms: 0 });
    await settled(call, token, [first], 1);
    // The second run of the workflow waits for the first; a test run for a slot of the entity (2).
    const other = await published(call, token, delayWorkflow(1));
    const third = await start(call, token, other, { delay_ms: 60_000 });
    await settled(call, token, [first, third], 2);
    const draft = await call('POST', '/api/v1/workflows', token, delayWorkflow(1));
    const draftId = draft.data.workflow_id as string;
    const tested = call('POST', `/api/v1/workflows/${draftId}/test`, token, {});
    const testRun = await until('the test run to be stored', async () => {
      const list = await call('GET', `/api/v1/workflows/${draftId}/executions?community_id=1&include_test=true`, token);
      return (list.data as unknown as Run[])[0];
    });
    assert.equal(testRun.status, 'queued');
    assert.equal((await read(call, token, second)).status, 'queued');
    await app?.close();
    // Answered or not: what counts is the row the restart finds.
    await tested.catch(() => undefined);

    call = await boot();
    const abandoned = await read(call, token, testRun.execution_id);
    assert.equal(abandoned.status, 'failed');
    assert.equal((abandoned as unknown as { error_message: string }).error_message, ABANDONED_TEST_MESSAGE);
    await cancelAll(call, token, [first]);
    const done = await waitFor(call, token, second, 'ended', ended);
    assert.equal(done.status, 'completed');
    await cancelAll(call, token, [third]);
  });
});

describe('fair share: Redis queue, caps per worker process', () => {
  const apps = redisApps(1);
  capsHold(() => apps);

  it('a run waiting behind an earlier one whose job was lost gets that job back, and both run in order', async () => {
    const { call, tokenA, prefix } = apps;
    const workflowId = await published(call, tokenA, delayWorkflow(1, { max_parallel_executions: 1 }));
    const blocker = await start(call, tokenA, workflowId, { delay_ms: 60_000 });
    const lost = await start(call, tokenA, workflowId, { delay_ms: 0 });
    const later: string[] = [];
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(EXECUTION_QUEUE_NAME, { connection, prefix });
    try {
      await settled(call, tokenA, [blocker], 1);
      // Its job leaves Redis (as when Redis lost data); its row stays `queued`.
      await until('the job to be removed', async () => {
        const job = await queue.getJob(lost);
        if (!job) return true;
        return job.remove().then(
          () => true,
          () => undefined,
        );
      });
      later.push(await start(call, tokenA, workflowId, { delay_ms: 0 }));
    } finally {
      await cancelAll(call, tokenA, [blocker]);
      await queue.close();
      await connection.quit();
    }
    const first = await waitFor(call, tokenA, lost, 'ended', ended);
    const second = await waitFor(call, tokenA, later[0] as string, 'ended', ended);
    assert.equal(first.status, 'completed');
    assert.equal(second.status, 'completed');
    assert.ok(Date.parse(second.start_time as string) >= Date.parse(first.end_time as string));
  });
});

describe('publish with a community_id', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await createTestApp();
    token = await t.token({ userId: 'publisher', entities: [1] });
  });
  after(() => t.close());

  it('stores it as an edit would, in a new version, as the reference shows; the same value makes none', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/workflows',
      token,
      payload: { ...delayWorkflow(1), community_id: 456 },
    });
    const workflowId = json<{ data: { workflow_id: string } }>(created).data.workflow_id;
    const publish = (community_id: number) =>
      t.request({ method: 'POST', url: `/api/v1/workflows/${workflowId}/publish`, token, payload: { community_id } });
    const read = async () =>
      json<{ data: { community_id: number; published_version: number | null } }>(
        await t.request({ method: 'GET', url: `/api/v1/workflows/${workflowId}`, token }),
      ).data;
    assert.equal((await publish(456)).statusCode, 200);
    assert.deepEqual(await read(), { ...(await read()), community_id: 456, published_version: 1 });
    const moved = await publish(999);
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(await read(), { ...(await read()), community_id: 999, published_version: 2 });
    assert.equal((await publish(999)).statusCode, 200);
    assert.equal((await read()).published_version, 2, 'an unchanged definition is not snapshotted again');
  });
});

describe('fair share: Redis queue, two workers', () => {
  const apps = redisApps(2);

  it('max_parallel_executions holds across workers: one at a time, in the order started', async () => {
    await oneAtATime(apps.call, apps.tokenA);
  });
});
