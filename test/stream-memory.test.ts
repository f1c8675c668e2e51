/**
 * Live watchers cannot grow a server's memory (issue 9, finding 5): 30 SSE connections that never
 * read, on a 1,000-item loop whose nodes output 60 KB each, add under 100 MB to the RSS of a real
 * `serve` process: the server cuts them off instead of buffering the whole run for them.
 * Also the watcher limit per execution.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../src/auth/jwt.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type ServerProcess, serverEnv, startServerProcess } from './helpers/server-process.ts';
import { workflowBuilder } from './helpers/workflows.ts';

const WATCHERS = 30;
const MB = 1024 * 1024;

const loop = workflowBuilder({ name: 'big loop', entity_id: ENTITY_ID })(
  {
    start: ['trigger_manual'],
    pause: ['action_delay', { delay_ms: 1500 }],
    each: ['loop_foreach', { array_variable: 'items' }],
    fat: ['data_variable_set', { variables: { blob: '{{ big }}-{{ index }}' } }],
  },
  ['start -> pause', 'pause -> each', 'each:loop -> fat'],
  {
    global_variables: { big: 'x'.repeat(60_000), items: Array.from({ length: 1000 }, (_, i) => i) },
  },
);

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Highest RSS of `pid` while `work` runs, sampled every 20 ms. */
async function peakRss(pid: number, work: () => Promise<unknown>): Promise<number> {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid));
  }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssBytes(pid));
}

/** An SSE request on a raw socket that reads nothing after the request went out. */
function silentWatcher(port: number, path: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

describe('stream memory', () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let token: string;
  before(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString('hex');
    server = await startServerProcess(serverEnv(database, secret));
    token = await mintToken(secret, { userId: 'watcher', entities: [ENTITY_ID] });
  });
  after(async () => {
    await server.stop('SIGKILL');
    await database.cleanup();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { data: Record<string, unknown> } };
  };

  async function runToEnd(workflowId: string, during?: (executionId: string) => Promise<unknown>) {
    const started = await api('POST', `/api/v1/workflows/${workflowId}/execute`, {});
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const executionId = started.body.data.execution_id as string;
    await during?.(executionId);
    for (let i = 0; i < 1200; i++) {
      const got = await api('GET', `/api/v1/workflows/executions/${executionId}?include_logs=false`);
      if (['completed', 'failed'].includes(got.body.data.status as string)) {
        assert.equal(got.body.data.status, 'completed', JSON.stringify(got.body.data.error_message));
        return executionId;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the loop run did not finish');
  }

  it('30 non-reading SSE watchers on a 1,000-item loop of 60 KB outputs add under 100 MB RSS', async (t) => {
    const created = await api('POST', '/api/v1/workflows', loop);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const workflowId = created.body.data.workflow_id as string;
    assert.equal((await api('POST', `/api/v1/workflows/${workflowId}/publish`, {})).status, 200);
    const pid = server.child.pid as number;

    // The same run without watchers first: what the run itself costs is not the watchers' share.
    const alone = await peakRss(pid, () => runToEnd(workflowId));
    const sockets: Socket[] = [];
    const watched = await peakRss(pid, () =>
      runToEnd(workflowId, async (executionId) => {
        for (let i = 0; i < WATCHERS; i++) {
          sockets.push(await silentWatcher(server.port, `/api/v1/workflows/executions/${executionId}/events`, token));
        }
      }),
    );
    const added = (watched - alone) / MB;
    t.diagnostic(
      `peak RSS alone ${(alone / MB).toFixed(0)} MB, with ${WATCHERS} watchers ${(watched / MB).toFixed(0)} MB`,
    );
    assert.ok(added < 100, `30 watchers added ${added.toFixed(1)} MB RSS (alone ${(alone / MB).toFixed(0)} MB)`);
    for (const socket of sockets) socket.destroy();
  });

  it('more than MAX_WATCHERS_PER_EXECUTION watchers on one execution are refused with 429', async () => {
    const created = await api('POST', '/api/v1/workflows', {
      ...loop,
      nodes: {
        start: { node_type: 'trigger_manual' },
        pause: { node_type: 'action_delay', config: { delay_ms: 30_000 } },
      },
      connections: [{ from_node_id: 'start', from_port_name: 'output', to_node_id: 'pause', to_port_name: 'input' }],
    });
    const workflowId = created.body.data.workflow_id as string;
    await api('POST', `/api/v1/workflows/${workflowId}/publish`, {});
    const started = await api('POST', `/api/v1/workflows/${workflowId}/execute`, {});
    const executionId = started.body.data.execution_id as string;
    const path = `/api/v1/workflows/executions/${executionId}/events`;
    const open: AbortController[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const controller = new AbortController();
        const response = await fetch(`${server.url}${path}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: controller.signal,
        });
        assert.equal(response.status, 200);
        open.push(controller);
      }
      // A finished run is told from its record and holds no watcher: the limit is about a live one.
      const during = await api('GET', `/api/v1/workflows/executions/${executionId}`);
      assert.ok(['queued', 'running'].includes(during.body.data.status as string), JSON.stringify(during.body.data));
      const refused = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(refused.status, 429, `the 21st watcher of a ${during.body.data.status as string} run`);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'RATE_LIMIT_EXCEEDED');
    } finally {
      for (const controller of open) controller.abort();
      await api('POST', `/api/v1/workflows/executions/${executionId}/cancel`, {});
    }
  });
});
