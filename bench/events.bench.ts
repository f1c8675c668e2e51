/**
 * @module bench/events.bench
 * Events dispatched per second with 1,000 published workflows in one entity, each event a chat
 * command that matches exactly one of them (the index lookup must not scan the 1,000) and each
 * match a real execution stored and run. Measured twice on SQLite: over HTTP against
 * `workflow-core serve` in its own process (auth, validation, envelope included), and through the
 * dispatcher service in process (the door-independent cost REST and gRPC share).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createApp } from '../src/app.ts';
import { mintToken } from '../src/auth/jwt.ts';
import { loadConfig } from '../src/config.ts';
import type { DispatchEvent } from '../src/services/dispatch-event.ts';
import { startBenchServer } from './server.ts';

export interface EventsBenchResult {
  readonly name: string;
  /** Over HTTP, end to end. */
  readonly events_per_second: number;
  /** Through the dispatcher in process: lookup, cooldown check, execution stored and queued. */
  readonly in_process_events_per_second: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly events: number;
  readonly errors: number;
  readonly non_2xx: number;
  readonly workflows: number;
}

const ENTITY_ID = 123;

function workflowBody(i: number): string {
  return JSON.stringify({
    name: `Command ${i}`,
    entity_id: ENTITY_ID,
    nodes: {
      t: { node_type: 'trigger_command', config: { command_name: `!cmd${i}` } },
      m: { node_type: 'action_chat_message', config: { message: 'Hi {{ username }}, you said {{ args_text }}' } },
    },
    connections: [{ from_node_id: 't', from_port_name: 'output', to_node_id: 'm', to_port_name: 'input' }],
  });
}

function eventBody(i: number): string {
  return JSON.stringify({
    type: 'command',
    entity_id: ENTITY_ID,
    platform: 'twitch',
    user_id: `viewer-${i}`,
    username: 'viewer',
    channel_id: 'chan',
    message: `!cmd${i} hello there`,
  });
}

async function publishMany(url: string, headers: Record<string, string>, count: number, parallel = 8): Promise<void> {
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const created = await fetch(`${url}/api/v1/workflows`, { method: 'POST', headers, body: workflowBody(i) });
      const id = ((await created.json()) as { data: { workflow_id: string } }).data.workflow_id;
      const published = await fetch(`${url}/api/v1/workflows/${id}/publish`, { method: 'POST', headers });
      if (published.status !== 200) throw new Error(`publish ${i}: ${published.status} ${await published.text()}`);
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The dispatcher alone, in this process, 32 events in flight, runs going on in the background. */
async function benchInProcess(workflows: number, events: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wfc-bench-events-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dataDir, 'bench.db')}`,
    DATA_DIR: dataDir,
    JWT_SECRET: 'bench-secret-'.repeat(4),
    LOG_LEVEL: 'warn',
    PORT: '0',
    GRPC_PORT: '0',
    HOST: '127.0.0.1',
  });
  const app = await createApp(config);
  try {
    const { port } = await app.listen();
    const owner = await mintToken(config.jwt.secret as string, { userId: 'bench', entities: [ENTITY_ID], ttl: '2h' });
    await publishMany(
      `http://127.0.0.1:${port}`,
      { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      workflows,
    );
    const dispatcher = app.features.events.dispatcher;
    const event = (i: number) => JSON.parse(eventBody(i % workflows)) as DispatchEvent;
    for (let i = 0; i < 500; i++) await dispatcher.dispatch(event(i));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < events) {
          const result = await dispatcher.dispatch(event(next++));
          if (result.matched.length !== 1) throw new Error('an event did not match exactly one workflow');
        }
      }),
    );
    return Math.round((events / (performance.now() - started)) * 1000);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchEvents(
  durationSeconds = 10,
  connections = 32,
  workflows = 1000,
): Promise<EventsBenchResult> {
  const inProcess = await benchInProcess(workflows, 20_000);
  const server = await startBenchServer();
  try {
    const owner = await server.token('bench', { entities: [ENTITY_ID] });
    const router = await server.token('router', { scope: 'workflows:dispatch' });
    await publishMany(server.url, { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, workflows);
    const headers = { authorization: `Bearer ${router}`, 'content-type': 'application/json' };
    const check = await fetch(`${server.url}/api/v1/workflows/events`, { method: 'POST', headers, body: eventBody(7) });
    const matched = ((await check.json()) as { data: { matched: unknown[] } }).data.matched.length;
    if (check.status !== 202 || matched !== 1) throw new Error(`warm-up event: ${check.status}, ${matched} matched`);
    let counter = 0;
    const result = await autocannon({
      url: server.url,
      connections,
      duration: durationSeconds,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/workflows/events',
          headers,
          setupRequest: (request) => ({ ...request, body: eventBody(counter++ % workflows) }),
        },
      ],
    });
    return {
      name: `events dispatch, ${workflows} workflows in one entity (SQLite, HTTP)`,
      events_per_second: result.requests.average,
      in_process_events_per_second: inProcess,
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      events: result.requests.total,
      errors: result.errors,
      non_2xx: result.non2xx,
      workflows,
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchEvents(), null, 2));
}
