/**
 * The whole deployment, as an operator runs it (PRODUCT.md §1, REDIS_URL set): 2 `serve`
 * processes and 2 `worker` processes on one PostgreSQL schema and one Redis (a key prefix of its
 * own). 2,000 webhooks (transform → condition → chat) go to both APIs, alternating; one worker is
 * SIGKILLed mid-load and started again. Every acknowledged execution completes, none is left
 * `queued` or `running`, and the chat deliveries, counted at a local router, are one per run plus
 * at most one repeat per run that was in flight at the kill. A cancel sent to either API stops a
 * run on either worker, and an every-second schedule fires once per slot with both `serve`
 * processes ticking. Prints what it measured (rates, the kill, the repeats).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
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
import { type StubServer, startStubServer } from './helpers/stub-server.ts';
import { workflowBuilder } from './helpers/workflows.ts';

const WEBHOOKS = 2000;
/** Webhook calls in flight at once, over both APIs. */
const CLIENTS = 16;
/** The worker is killed once this many webhooks were acknowledged. */
const KILL_AFTER = 600;
const CONCURRENCY = 16;
const LEASE_MS = 3000;
const ENTITY = 1;

const workflow = workflowBuilder({ name: 'Deployment', entity_id: ENTITY });

const WEBHOOK_FLOW = workflow(
  {
    hook: ['trigger_webhook'],
    shape: ['data_transform', { transformations: { stars: 'repo.stars * 2', title: '$uppercase(release)' } }],
    check: ['condition_if', { rules: [{ variable: 'stars', operator: 'greater_than', value: 10 }] }],
    say: ['action_chat_message', { message: 'Released {{ title }} ({{ stars }} stars)' }],
  },
  ['hook -> shape', 'shape -> check', 'check:true -> say'],
);
const WEBHOOK_BODY = JSON.stringify({ release: 'v1.2.3', repo: { name: 'core', stars: 21 } });

/** Sits in a delay long enough to be cancelled there. */
const LONG_WAIT = workflow(
  {
    start: ['trigger_manual'],
    mark: ['data_variable_set', { variables: { marked: true } }],
    wait: ['action_delay', { delay_ms: 60_000 }],
    finish: ['data_variable_set', { variables: { finished: true } }],
  },
  ['start -> mark', 'mark -> wait', 'wait -> finish'],
);

const SCHEDULE_SLOTS = 5;
const EVERY_SECOND = workflow(
  {
    every: ['trigger_schedule', { cron: '* * * * * *', max_executions: SCHEDULE_SLOTS }],
    done: ['flow_end', { final_output: { slot: '{{ scheduled_for }}' } }],
  },
  ['every -> done'],
);

describe('deployment: 2 serve and 2 worker processes on PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  let router: StubServer;
  let redis: Redis;
  let jobs: Queue;
  const prefix = queuePrefix();
  const servers: ServerProcess[] = [];
  const workers: WorkerProcess[] = [];
  let env: Record<string, string>;
  const calls: ApiCall[] = [];

  before(async () => {
    database = await createTestDatabase('postgres');
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    // The router answers a little later, as a real one does: chat nodes are in flight at the kill.
    router = await startStubServer(async () => {
      await sleep(5);
      return { status: 200, body: { ok: true } };
    });
    const secret = randomBytes(32).toString('hex');
    env = serverEnv(database, secret, {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      ROUTER_URL: router.url,
      EXECUTION_CONCURRENCY: String(CONCURRENCY),
      EXECUTION_LEASE_MS: String(LEASE_MS),
      LOG_LEVEL: 'warn',
    });
    // The first serve applies the migrations the others then find done.
    servers.push(await startServerProcess({ ...env, LOG_LEVEL: 'info' }));
    const [second, ...started] = await Promise.all([
      startServerProcess({ ...env, LOG_LEVEL: 'info' }),
      startWorkerProcess({ ...env, LOG_LEVEL: 'info' }),
      startWorkerProcess({ ...env, LOG_LEVEL: 'info' }),
    ]);
    servers.push(second as ServerProcess);
    workers.push(...(started as WorkerProcess[]));
    const token = await mintToken(secret, { userId: '7', entities: [ENTITY] });
    for (const server of servers) calls.push(apiClient(server.url, token));
    redis = new Redis(REDIS_URL);
    jobs = new Queue(EXECUTION_QUEUE_NAME, { connection: redis, prefix });
  });
  after(async () => {
    await Promise.all([...servers, ...workers].map((p) => p.stop('SIGKILL')));
    await jobs?.close();
    redis?.disconnect();
    await router?.close();
    await admin?.end();
    await removeQueueKeys(prefix);
    await database?.cleanup();
  });

  const table = (name: string) => `${database.schema}.${name}`;
  async function statusCounts(workflowId: string): Promise<Record<string, number>> {
    const rows = await admin.query<{ status: string; n: string }>(
      `select status, count(*) as n from ${table('executions')} where workflow_id = $1 group by status`,
      [workflowId],
    );
    return Object.fromEntries(rows.rows.map((row) => [row.status, Number(row.n)]));
  }
  const call = (index: number) => calls[index % calls.length] as ApiCall;

  it('completes every acknowledged webhook run through a worker SIGKILL and restart', async () => {
    const workflowId = await publishThrough(call(0), WEBHOOK_FLOW);
    const hook = await call(0)<{ token: string }>('POST', `/api/v1/workflows/${workflowId}/webhooks`, {
      name: 'deployment',
      require_signature: false,
      rate_limit_max: 100_000,
      rate_limit_window: 1,
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.data));
    const urls = servers.map((s) => `${s.url}/api/v1/workflows/webhooks/${hook.data.token}`);

    const acknowledged = new Set<string>();
    const refused: string[] = [];
    let sent = 0;
    let killed: Promise<void> | undefined;
    let inFlightAtKill: string[] = [];
    let killedAt = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (sent < WEBHOOKS) {
          const index = sent++;
          const response = await fetch(urls[index % urls.length] as string, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: WEBHOOK_BODY,
          });
          const text = await response.text();
          if (response.status === 200 || response.status === 202) {
            acknowledged.add((JSON.parse(text) as { data: { execution_id: string } }).data.execution_id);
          } else refused.push(`${response.status} ${text}`);
          if (acknowledged.size >= KILL_AFTER && !killed) {
            killed = (async () => {
              const victim = workers[0] as WorkerProcess;
              assert.equal(await victim.stop('SIGKILL'), null);
              killedAt = performance.now();
              // A killed process writes nothing more: what is `running` now includes all it held.
              const running = await admin.query<{ execution_id: string }>(
                `select execution_id from ${table('executions')} where workflow_id = $1 and status = 'running'`,
                [workflowId],
              );
              inFlightAtKill = running.rows.map((row) => row.execution_id);
              workers[0] = await startWorkerProcess({ ...env, LOG_LEVEL: 'info' });
            })();
            // Awaited after the load; a failure meanwhile is not an unhandled rejection.
            killed.catch(() => {});
          }
        }
      }),
    );
    const loadSeconds = (performance.now() - started) / 1000;
    await killed;
    assert.deepEqual(refused, [], 'every webhook is acknowledged');
    assert.equal(acknowledged.size, WEBHOOKS);

    const final = await until(
      'every acknowledged run to end',
      async () => {
        const counts = await statusCounts(workflowId);
        return (counts.queued ?? 0) + (counts.running ?? 0) === 0 ? counts : undefined;
      },
      { intervalMs: 250, timeoutMs: 150_000, attempts: 100_000 },
    ).catch(async (error: Error) => {
      const counts = await statusCounts(workflowId);
      const waiting = await jobs.getJobCounts();
      throw new Error(
        `${error.message}: ${JSON.stringify(counts)}; jobs ${JSON.stringify(waiting)}\n${workers.map((w) => w.output().slice(-2000)).join('\n---\n')}`,
      );
    });
    const drainedSeconds = (performance.now() - started) / 1000;
    assert.deepEqual(final, { completed: WEBHOOKS }, 'all completed, none stuck queued or running');
    const rows = await admin.query<{ execution_id: string; lease_epoch: number; status: string }>(
      `select execution_id, lease_epoch, status from ${table('executions')} where workflow_id = $1`,
      [workflowId],
    );
    assert.deepEqual(new Set(rows.rows.map((row) => row.execution_id)), acknowledged, 'exactly the acknowledged runs');
    const takenOver = rows.rows.filter((row) => row.lease_epoch > 1).map((row) => row.execution_id);

    // Deliveries: one per run; a run that was in flight at the kill may have delivered once more.
    const deliveries = new Map<string, number>();
    for (const request of router.received) {
      const id = (JSON.parse(request.body) as { execution_id: string }).execution_id;
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    }
    for (const id of acknowledged) assert.ok((deliveries.get(id) ?? 0) >= 1, `run ${id} delivered its message`);
    const repeated = [...deliveries].filter(([, n]) => n > 1);
    const inFlight = new Set(inFlightAtKill);
    for (const [id, n] of repeated) {
      assert.equal(n, 2, `run ${id} delivered at most once more`);
      assert.ok(inFlight.has(id), `run ${id} repeated its delivery but was not in flight at the kill`);
    }
    assert.ok(repeated.length <= inFlightAtKill.length);
    assert.ok(inFlightAtKill.length <= 2 * CONCURRENCY, 'no more in flight than both workers run at once');
    assert.equal(router.received.length, WEBHOOKS + repeated.length);

    console.log(
      JSON.stringify({
        webhooks: WEBHOOKS,
        load_seconds: Math.round(loadSeconds * 10) / 10,
        acknowledged_per_second: Math.round(WEBHOOKS / loadSeconds),
        drained_seconds: Math.round(drainedSeconds * 10) / 10,
        completed_per_second: Math.round(WEBHOOKS / drainedSeconds),
        killed_after_acknowledged: KILL_AFTER,
        kill_to_drained_seconds: Math.round((performance.now() - killedAt) / 100) / 10,
        running_at_kill: inFlightAtKill.length,
        taken_over: takenOver.length,
        repeated_deliveries: repeated.length,
      }),
    );
  });

  it('stops, through either API, a run on either worker', async () => {
    const workflowId = await publishThrough(call(1), LONG_WAIT);
    // Runs until each worker holds two of them sitting in the delay.
    const byWorker = new Map<string, string[]>();
    const enough = () => byWorker.size === 2 && [...byWorker.values()].every((ids) => ids.length >= 2);
    for (let i = 0; i < 40 && !enough(); i++) {
      const startedRun = await call(i)<{ execution_id: string }>('POST', `/api/v1/workflows/${workflowId}/execute`, {});
      assert.equal(startedRun.status, 202, JSON.stringify(startedRun.data));
      const id = startedRun.data.execution_id;
      const worker = await until(`run ${id} taken by a worker`, async () => (await jobs.getJob(id))?.processedBy, {
        intervalMs: 50,
        attempts: 400,
      });
      byWorker.set(worker, [...(byWorker.get(worker) ?? []), id]);
    }
    assert.equal(byWorker.size, 2, `runs on both workers: ${JSON.stringify([...byWorker])}`);
    const targets: Array<{ id: string; api: number }> = [];
    for (const ids of byWorker.values()) {
      assert.ok(ids.length >= 2, `two runs on each worker: ${JSON.stringify([...byWorker])}`);
      targets.push({ id: ids[0] as string, api: 0 }, { id: ids[1] as string, api: 1 });
    }
    for (const { id } of targets) {
      await until(
        `run ${id} in its delay`,
        async () => {
          const got = await call(0)<{ execution_path: string[] }>('GET', `/api/v1/workflows/executions/${id}`);
          return got.data.execution_path.includes('mark') ? true : undefined;
        },
        { intervalMs: 50, attempts: 400 },
      );
    }
    for (const { id, api } of targets) {
      const cancelled = await call(api)('POST', `/api/v1/workflows/executions/${id}/cancel`);
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.data));
    }
    for (const { id } of targets) {
      // The run's own end (its variables), written by the worker that ran it: it really stopped.
      const ended = await until(
        `run ${id} ended by its worker`,
        async () => {
          const got = await call(1)<{ status: string; final_variables: Record<string, unknown> | null }>(
            'GET',
            `/api/v1/workflows/executions/${id}`,
          );
          return got.data.status !== 'running' && got.data.final_variables?.marked === true ? got.data : undefined;
        },
        { intervalMs: 50, attempts: 400 },
      );
      assert.equal(ended.status, 'cancelled');
      assert.equal(ended.final_variables?.finished, undefined, 'the node after the delay never ran');
    }
    // The other runs are cancelled too, so nothing is left waiting a minute.
    for (const ids of byWorker.values())
      for (const id of ids.slice(2)) await call(0)('POST', `/api/v1/workflows/executions/${id}/cancel`);
  });

  it('fires an every-second schedule once per slot with both serve processes ticking', async () => {
    const workflowId = await publishThrough(call(0), EVERY_SECOND);
    const schedule = await until(
      'the schedule to fire all its slots',
      async () => {
        const found = await admin.query<{ schedule_id: string; next_run_at: string | null; run_count: number }>(
          `select schedule_id, next_run_at, run_count from ${table('schedules')} where workflow_id = $1`,
          [workflowId],
        );
        const row = found.rows[0];
        return row && row.next_run_at === null ? row : undefined;
      },
      { intervalMs: 250, timeoutMs: 30_000, attempts: 1000 },
    );
    // Both processes keep ticking a while longer: nothing more may fire.
    await sleep(1500);
    assert.equal(schedule.run_count, SCHEDULE_SLOTS);
    const fires = await admin.query<{ scheduled_for: string; execution_id: string }>(
      `select scheduled_for, execution_id from ${table('schedule_fires')} where schedule_id = $1 order by scheduled_for`,
      [schedule.schedule_id],
    );
    const slots = fires.rows.map((f) => Date.parse(f.scheduled_for));
    assert.equal(slots.length, SCHEDULE_SLOTS);
    for (let i = 1; i < slots.length; i++)
      assert.equal((slots[i] ?? 0) - (slots[i - 1] ?? 0), 1000, 'consecutive seconds, none missed or repeated');
    const runs = await until(
      'the scheduled runs to complete',
      async () => {
        const counts = await statusCounts(workflowId);
        return counts.completed === SCHEDULE_SLOTS ? counts : undefined;
      },
      { intervalMs: 100, attempts: 200 },
    );
    assert.deepEqual(runs, { completed: SCHEDULE_SLOTS });
  });
});
