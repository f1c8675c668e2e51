/**
 * @module bench/webhooks.bench
 * Signed webhooks into a 3-node workflow (transform → condition → chat message to the outbox)
 * against `workflow-core serve` on SQLite in its own process: the throughput of accepted webhooks
 * at full load, the accept latency at a fixed 1,000 requests/s (evenly spaced arrivals), and a check that every accepted
 * execution completed (read from the database once the server has drained).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { signWebhook } from '../src/webhooks/signature.ts';
import { pacedLoad } from './paced-load.ts';
import { type BenchServer, startBenchServer } from './server.ts';

export interface WebhookBenchResult {
  readonly name: string;
  readonly accepted_per_second: number;
  readonly throughput_p99_ms: number;
  readonly fixed_rate: number;
  readonly fixed_rate_p50_ms: number;
  readonly fixed_rate_p99_ms: number;
  readonly accepted: number;
  readonly refused: number;
  readonly errors: number;
  readonly executions_completed: number;
  readonly executions_other: Record<string, number>;
  readonly all_completed: boolean;
}

/** transform → condition → chat message (to the outbox): also the anchor workload (anchors.bench.ts). */
export const WEBHOOK_WORKFLOW = {
  name: 'Webhook bench',
  entity_id: 123,
  nodes: {
    hook: { node_type: 'trigger_webhook', config: {} },
    shape: {
      node_type: 'data_transform',
      config: { transformations: { stars: 'repo.stars * 2', title: '$uppercase(release)' } },
    },
    check: {
      node_type: 'condition_if',
      config: { rules: [{ variable: 'stars', operator: 'greater_than', value: 10 }] },
    },
    say: { node_type: 'action_chat_message', config: { message: 'Released {{ title }} ({{ stars }} stars)' } },
  },
  connections: [
    { from_node_id: 'hook', from_port_name: 'output', to_node_id: 'shape', to_port_name: 'input' },
    { from_node_id: 'shape', from_port_name: 'output', to_node_id: 'check', to_port_name: 'input' },
    { from_node_id: 'check', from_port_name: 'true', to_node_id: 'say', to_port_name: 'input' },
  ],
};

export const WEBHOOK_BODY = JSON.stringify({ release: 'v1.2.3', repo: { name: 'core', stars: 21 }, sender: 'bench' });

async function api(url: string, token: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const parsed = (await response.json()) as { data: Record<string, unknown> };
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed.data;
}

/** The bench workflow published on `server` with a signed webhook: its path and signed headers. */
export async function signedWebhook(
  server: BenchServer,
): Promise<{ workflowId: string; path: string; headers: Record<string, string> }> {
  const token = await server.token('bench', { entities: [123] });
  const workflowId = (await api(server.url, token, '/api/v1/workflows', WEBHOOK_WORKFLOW)).workflow_id as string;
  await api(server.url, token, `/api/v1/workflows/${workflowId}/publish`);
  const hook = await api(server.url, token, `/api/v1/workflows/${workflowId}/webhooks`, {
    name: 'bench',
    rate_limit_max: 100_000,
    rate_limit_window: 1,
  });
  return {
    workflowId,
    path: `/api/v1/workflows/webhooks/${hook.token as string}`,
    headers: {
      'content-type': 'application/json',
      'x-webhook-signature': signWebhook(hook.secret as string, hook.token as string, Buffer.from(WEBHOOK_BODY)),
    },
  };
}

export function countByStatus(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('select status, count(*) as n from executions group by status').all() as Array<{
      status: string;
      n: number;
    }>;
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    db.close();
  }
}

export async function drained(file: string, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = countByStatus(file);
    if (!counts.queued && !counts.running) return counts;
    if (Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One autocannon run, reporting every response's status as it arrives. */
function load(options: autocannon.Options, onStatus: (status: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('response', (_client, status) => onStatus(status));
  });
}

export async function benchWebhooks(
  durationSeconds = 10,
  connections = 32,
  fixedRate = 1000,
): Promise<WebhookBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wfc-bench-webhooks-'));
  const file = join(dir, 'bench.db');
  const server = await startBenchServer({ DATABASE_URL: `sqlite:${file}` });
  try {
    const { path, headers } = await signedWebhook(server);
    let accepted = 0;
    let refused = 0;
    const count = (status: number) => (status === 200 ? accepted++ : refused++);
    // Warm up the JIT, the webhook cache and SQLite's page cache before measuring.
    for (let i = 0; i < 300; i++) {
      count((await fetch(`${server.url}${path}`, { method: 'POST', headers, body: WEBHOOK_BODY })).status);
    }
    const base = { url: `${server.url}${path}`, method: 'POST' as const, headers, body: WEBHOOK_BODY };
    const throughput = await load({ ...base, connections, duration: durationSeconds }, count);
    await drained(file, 120_000);
    // Evenly spaced arrivals, latency from when each request was due (see paced-load.ts).
    const latency = await pacedLoad({
      url: base.url,
      method: 'POST',
      headers,
      body: WEBHOOK_BODY,
      rate: fixedRate,
      durationSeconds,
      onStatus: count,
    });
    const counts = await drained(file, 120_000);
    const { completed = 0, ...other } = counts;
    return {
      name: 'webhooks signed → transform → condition → chat (SQLite)',
      accepted_per_second: Math.round((throughput.requests.total - throughput.non2xx) / durationSeconds),
      throughput_p99_ms: throughput.latency.p99,
      fixed_rate: fixedRate,
      fixed_rate_p50_ms: latency.p50_ms,
      fixed_rate_p99_ms: latency.p99_ms,
      accepted,
      refused,
      errors: throughput.errors + latency.errors,
      executions_completed: completed,
      executions_other: other,
      // Calls still in flight when a load run stops are accepted by the server but not seen by
      // autocannon, so the database may hold a few more executions than the answers counted.
      all_completed: completed >= accepted && Object.keys(other).length === 0,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchWebhooks();
  console.log(JSON.stringify(result, null, 2));
  if (!result.all_completed) process.exitCode = 1;
}
