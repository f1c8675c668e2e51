/**
 * @module bench/cluster
 * `npm run bench -- cluster`: the webhook workload (transform → condition → chat, unsigned) on
 * PostgreSQL + Redis with `serve` and 1 or 2 `worker` processes (compiled build), next to SQLite
 * in one process: webhooks accepted/s under 50 connections and executions completed/s until the
 * backlog drains. On PostgreSQL it also measures what one execution costs, for sizing
 * (docs/DEPLOYMENT.md): SQL statements (counted by a proxy in front of the server), rows inserted
 * and updated (pg_stat_user_tables of the run's own schema), bytes sent to PostgreSQL, bytes
 * stored and WAL written (pg_walinspect, the records of the schema's relations and their
 * transactions), and Redis commands (INFO commandstats of a Redis started for the run alone).
 * Chat messages go to a local router (ROUTER_URL), so each delivery is fenced as in production.
 * Every line carries the 1-minute load average at its end (the machine may be shared).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { mintToken } from '../src/auth/jwt.ts';
import { buildInto } from '../test/helpers/build.ts';
import { POSTGRES_URL } from '../test/helpers/database.ts';
import { compiledEntry, startServerProcess, startWorkerProcess } from '../test/helpers/server-process.ts';
import { startPgCountingProxy } from './pg-counting-proxy.ts';
import { currentLsn, walOfSchema } from './pg-wal.ts';
import { countByStatus, WEBHOOK_BODY, WEBHOOK_WORKFLOW } from './webhooks.bench.ts';

export interface ThroughputResult {
  readonly setup: string;
  readonly accepted_per_second: number;
  readonly p99_ms: number;
  readonly executions_per_second: number;
  readonly completed: number;
  readonly not_completed: number;
  readonly load_average: number;
}

export interface CostResult {
  readonly executions: number;
  readonly statements_per_execution: number;
  readonly statements_by_kind_per_execution: Record<string, number>;
  readonly rows_inserted_per_execution: number;
  readonly rows_updated_per_execution: number;
  readonly bytes_to_postgres_per_execution: number;
  readonly bytes_stored_per_execution: number;
  readonly wal_bytes_per_execution: number;
  readonly wal_records_per_execution: number;
  readonly wal_fpi_bytes_per_execution: number;
  readonly redis_commands_per_execution: number;
  readonly redis_commands_by_name_per_execution: Record<string, number>;
  readonly idle_statements_per_second: number;
  readonly idle_redis_commands_per_second: number;
  /** CPU time per execution: the serve and worker processes, PostgreSQL backends serving them, Redis. */
  readonly cpu_ms_per_execution: { serve: number; worker: number; postgres: number; redis: number };
  readonly load_average: number;
}

export interface ClusterResult {
  readonly throughput: readonly ThroughputResult[];
  readonly cost: CostResult;
}

/**
 * One workflow's webhooks stand in for the traffic of many communities: the per-entity cap is
 * raised to the process cap (BENCH_DEFAULT_CAPS=1 keeps the defaults, where this single-entity
 * load runs into ENTITY_CONCURRENCY and its jobs are deferred).
 */
const CAPS: Record<string, string> = process.env.BENCH_DEFAULT_CAPS
  ? {}
  : { EXECUTION_CONCURRENCY: '32', ENTITY_CONCURRENCY: '32' };

const per = (value: number, n: number) => Math.round((value / n) * 100) / 100;
const loadAverage = () => Math.round(loadavg()[0] * 100) / 100;

/** The operator's chat router: answers every delivery 200. */
async function startRouter(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  for (let i = 0; ; i++) {
    const up = await probe.connect().then(
      () => true,
      () => false,
    );
    if (up) break;
    if (i > 100) throw new Error('redis-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  probe.disconnect();
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function commandStats(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const stats: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats[match[1]] = Number(match[2]);
  return stats;
}

function difference(after: Record<string, number>, before: Record<string, number>, n: number) {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0);
    if (delta > 0) out[key] = per(delta, n);
  }
  return out;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU of a process so far, in ms (0 once it is gone). */
function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU ms so far of each PostgreSQL backend serving a connection from these local ports, by pid. */
async function backendCpu(admin: pg.Client, ports: number[]): Promise<Map<number, number>> {
  const rows = await admin.query<{ pid: number }>(
    'select pid from pg_stat_activity where client_port = any($1::int[])',
    [ports],
  );
  return new Map(rows.rows.map((row) => [row.pid, processCpuMs(row.pid)]));
}

async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (value('used_cpu_user') + value('used_cpu_sys')) * 1000;
}

async function tableStats(admin: pg.Client, schema: string) {
  const rows = await admin.query<{ ins: string; upd: string; bytes: string }>(
    `select coalesce(sum(n_tup_ins), 0) as ins, coalesce(sum(n_tup_upd), 0) as upd,
            coalesce(sum(pg_total_relation_size(relid)), 0) as bytes
       from pg_stat_user_tables where schemaname = $1`,
    [schema],
  );
  return { inserted: Number(rows.rows[0].ins), updated: Number(rows.rows[0].upd), bytes: Number(rows.rows[0].bytes) };
}

async function post(url: string, token: string, path: string, body: unknown = {}) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as { data: Record<string, unknown> };
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed.data;
}

async function webhookUrl(serverUrl: string, token: string): Promise<string> {
  const workflowId = (await post(serverUrl, token, '/api/v1/workflows', WEBHOOK_WORKFLOW)).workflow_id as string;
  await post(serverUrl, token, `/api/v1/workflows/${workflowId}/publish`);
  const hook = await post(serverUrl, token, `/api/v1/workflows/${workflowId}/webhooks`, {
    name: 'bench',
    require_signature: false,
    rate_limit_max: 100_000,
    rate_limit_window: 1,
  });
  return `${serverUrl}/api/v1/workflows/webhooks/${hook.token as string}`;
}

function load(url: string, connections: number, seconds: number) {
  return new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: WEBHOOK_BODY,
        connections,
        duration: seconds,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}

async function drain(counts: () => Promise<Record<string, number>>, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await counts();
    if ((!now.queued && !now.running) || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measureThroughput(
  setup: string,
  url: string,
  counts: () => Promise<Record<string, number>>,
  seconds: number,
): Promise<ThroughputResult> {
  await load(url, 20, 2);
  await drain(counts);
  const before = (await counts()).completed ?? 0;
  const started = performance.now();
  const result = await load(url, 50, seconds);
  const after = await drain(counts);
  const elapsed = (performance.now() - started) / 1000;
  const completed = (after.completed ?? 0) - before;
  const { completed: _done, ...other } = after;
  return {
    setup,
    accepted_per_second: Math.round((result.requests.total - result.non2xx) / seconds),
    p99_ms: result.latency.p99,
    executions_per_second: Math.round(completed / elapsed),
    completed,
    not_completed: Object.values(other).reduce((a, b) => a + b, 0),
    load_average: loadAverage(),
  };
}

async function postgresSetup(workers: number, dist: string, seconds: number, measureCost: boolean, routerUrl: string) {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const target = new URL(POSTGRES_URL);
  const proxy = await startPgCountingProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url);
  const dataDir = mkdtempSync(join(tmpdir(), 'wfc-bench-cluster-'));
  const secret = randomBytes(32).toString('hex');
  const proxied = new URL(POSTGRES_URL);
  proxied.host = `127.0.0.1:${proxy.port}`;
  const env = {
    DATABASE_URL: proxied.toString(),
    DATABASE_SCHEMA: schema,
    DATA_DIR: dataDir,
    JWT_SECRET: secret,
    REDIS_URL: redisServer.url,
    ROUTER_URL: routerUrl,
    ...CAPS,
    EXECUTION_RETENTION_PER_WORKFLOW: '100000000',
    LOG_LEVEL: 'warn',
  };
  const entry = compiledEntry(dist);
  const server = await startServerProcess({ ...env, LOG_LEVEL: 'info' }, [], entry);
  const started = await Promise.all(
    Array.from({ length: workers }, () => startWorkerProcess({ ...env, LOG_LEVEL: 'info' }, entry)),
  );
  const counts = async () => {
    const rows = await admin.query<{ status: string; n: string }>(
      `select status, count(*) as n from ${schema}.executions group by status`,
    );
    return Object.fromEntries(rows.rows.map((row) => [row.status, Number(row.n)]));
  };
  try {
    const token = await mintToken(secret, { userId: 'bench', entities: [123] });
    const url = await webhookUrl(server.url, token);
    let cost: CostResult | undefined;
    if (measureCost) {
      // Background work of idle processes (scheduler, stalled-job checks), to tell apart.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      proxy.reset();
      const idleRedis = await commandStats(redis);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const idleStatements = proxy.counts.statements / 3;
      const idleCommands =
        Object.values(await commandStats(redis)).reduce((a, b) => a + b, 0) -
        Object.values(idleRedis).reduce((a, b) => a + b, 0);

      const n = 1000;
      const tablesBefore = await tableStats(admin, schema);
      const redisBefore = await commandStats(redis);
      const walFrom = await currentLsn(admin);
      const cpuBefore = {
        serve: processCpuMs(server.child.pid),
        worker: started.reduce((sum, w) => sum + processCpuMs(w.child.pid), 0),
        postgres: await backendCpu(admin, proxy.upstreamPorts()),
        redis: await redisCpuMs(redis),
      };
      proxy.reset();
      let next = 0;
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next++ < n) {
            const response = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: WEBHOOK_BODY,
            });
            await response.arrayBuffer();
          }
        }),
      );
      await drain(counts);
      const pgCounts = { ...proxy.counts, byKind: { ...proxy.counts.byKind } };
      const redisAfter = await commandStats(redis);
      const walTo = await currentLsn(admin);
      const postgresAfter = await backendCpu(admin, proxy.upstreamPorts());
      let postgresMs = 0;
      for (const [pid, ms] of postgresAfter) postgresMs += ms - (cpuBefore.postgres.get(pid) ?? 0);
      const cpu = {
        serve: per(processCpuMs(server.child.pid) - cpuBefore.serve, n),
        worker: per(started.reduce((sum, w) => sum + processCpuMs(w.child.pid), 0) - cpuBefore.worker, n),
        postgres: per(postgresMs, n),
        redis: per((await redisCpuMs(redis)) - cpuBefore.redis, n),
      };
      // Table statistics reach pg_stat_user_tables shortly after each transaction.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const tablesAfter = await tableStats(admin, schema);
      const wal = await walOfSchema(admin, POSTGRES_URL, schema, walFrom, walTo);
      const redisByName = difference(redisAfter, redisBefore, n);
      delete redisByName.info;
      cost = {
        executions: n,
        statements_per_execution: per(pgCounts.statements, n),
        statements_by_kind_per_execution: difference(pgCounts.byKind, {}, n),
        rows_inserted_per_execution: per(tablesAfter.inserted - tablesBefore.inserted, n),
        rows_updated_per_execution: per(tablesAfter.updated - tablesBefore.updated, n),
        bytes_to_postgres_per_execution: Math.round(pgCounts.bytesToServer / n),
        bytes_stored_per_execution: Math.round((tablesAfter.bytes - tablesBefore.bytes) / n),
        wal_bytes_per_execution: Math.round(wal.bytes / n),
        wal_records_per_execution: per(wal.records, n),
        wal_fpi_bytes_per_execution: Math.round(wal.fpi_bytes / n),
        redis_commands_per_execution: per(Object.values(redisByName).reduce((a, b) => a + b, 0) * n, n),
        redis_commands_by_name_per_execution: redisByName,
        idle_statements_per_second: Math.round(idleStatements),
        idle_redis_commands_per_second: Math.round(idleCommands / 3),
        cpu_ms_per_execution: cpu,
        load_average: loadAverage(),
      };
    }
    const throughput = await measureThroughput(
      `PostgreSQL + Redis, serve + ${workers} worker${workers > 1 ? 's' : ''}`,
      url,
      counts,
      seconds,
    );
    return { throughput, cost };
  } finally {
    await Promise.all([server.stop('SIGTERM'), ...started.map((w) => w.stop('SIGTERM'))]);
    redis.disconnect();
    await redisServer.stop();
    await proxy.close();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function sqliteSetup(dist: string, seconds: number, routerUrl: string): Promise<ThroughputResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wfc-bench-cluster-'));
  const file = join(dataDir, 'bench.db');
  const secret = randomBytes(32).toString('hex');
  const server = await startServerProcess(
    {
      DATABASE_URL: `sqlite:${file}`,
      DATA_DIR: dataDir,
      JWT_SECRET: secret,
      ROUTER_URL: routerUrl,
      ...CAPS,
      EXECUTION_RETENTION_PER_WORKFLOW: '100000000',
    },
    [],
    compiledEntry(dist),
  );
  try {
    const token = await mintToken(secret, { userId: 'bench', entities: [123] });
    const url = await webhookUrl(server.url, token);
    return await measureThroughput('SQLite, one serve process', url, async () => countByStatus(file), seconds);
  } finally {
    await server.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchCluster(seconds = 8): Promise<ClusterResult> {
  const dist = buildInto('dist-bench');
  const router = await startRouter();
  try {
    const sqlite = await sqliteSetup(dist, seconds, router.url);
    const one = await postgresSetup(1, dist, seconds, true, router.url);
    const two = await postgresSetup(2, dist, seconds, false, router.url);
    return { throughput: [sqlite, one.throughput, two.throughput], cost: one.cost as CostResult };
  } finally {
    await router.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchCluster(), null, 2));
}
