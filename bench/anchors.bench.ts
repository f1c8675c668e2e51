/**
 * @module bench/anchors
 * `npm run bench -- anchors`: the webhook workload (transform → condition → chat message, 50
 * connections, unsigned) against Node-RED 4.1 and against `workflow-core serve` (the compiled
 * build, SQLite, every execution stored and run), in alternating rounds on the same machine, and
 * the ratio of their medians. Node-RED is installed from the npm registry into a temporary folder
 * on first use (opt-in; never part of `npm ci`); its flow is bench/anchors/flow.json. Node-RED
 * stores nothing per request; we store every execution, and check at the end that each one
 * accepted completed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildInto } from '../test/helpers/build.ts';
import { startBenchServer } from './server.ts';
import { WEBHOOK_BODY as BODY, drained, WEBHOOK_WORKFLOW as WORKFLOW } from './webhooks.bench.ts';

export const NODE_RED_VERSION = '4.1';
const ANCHORS = join(import.meta.dirname, 'anchors');

export interface AnchorRound {
  readonly target: 'node-red' | 'workflow-core';
  readonly requests_per_second: number;
  readonly p99_ms: number;
  readonly non_2xx: number;
}

export interface AnchorsResult {
  readonly rounds: readonly AnchorRound[];
  readonly node_red_median: number;
  readonly ours_median: number;
  readonly ratio: number;
  readonly node_red_p99_median: number;
  readonly ours_p99_median: number;
  readonly spread: string;
  readonly accepted: number;
  readonly executions_completed: number;
  readonly all_completed: boolean;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Node-RED in a temporary folder of its own, installed once (kept for later runs). */
function installNodeRed(): string {
  const dir = join(tmpdir(), `wfc-node-red-${NODE_RED_VERSION}`);
  const main = join(dir, 'node_modules', 'node-red', 'red.js');
  if (existsSync(main)) return main;
  mkdirSync(dir, { recursive: true });
  console.error(`installing node-red@${NODE_RED_VERSION} into ${dir}…`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const installed = spawnSync(
    npm,
    ['install', '--prefix', dir, `node-red@${NODE_RED_VERSION}`, '--omit=dev', '--no-audit', '--no-fund'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (installed.status !== 0 || !existsSync(main)) throw new Error('installing Node-RED failed');
  return main;
}

async function startNodeRed(main: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const userDir = mkdtempSync(join(tmpdir(), 'wfc-node-red-user-'));
  const child = spawn(process.execPath, [main, '--settings', join(ANCHORS, 'settings.cjs')], {
    env: { ...process.env, ANCHOR_PORT: String(port), ANCHOR_USER_DIR: userDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${url}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    })
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('Node-RED did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(userDir, { recursive: true, force: true });
    },
  };
}

function load(url: string, connections: number, seconds: number, onStatus?: (status: number) => void) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
        connections,
        duration: seconds,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onStatus) instance.on('response', (_client, status) => onStatus(status));
  });
}

export async function benchAnchors(rounds = 5, seconds = 8, connections = 50): Promise<AnchorsResult> {
  const nodeRedMain = installNodeRed();
  const dist = buildInto('dist-bench');
  const dir = mkdtempSync(join(tmpdir(), 'wfc-bench-anchors-'));
  const file = join(dir, 'bench.db');
  const ours = await startBenchServer({ DATABASE_URL: `sqlite:${file}` }, dist);
  const nodeRed = await startNodeRed(nodeRedMain);
  try {
    const token = await ours.token('bench', { entities: [123] });
    const post = async (path: string, body: unknown = {}) => {
      const response = await fetch(`${ours.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const parsed = (await response.json()) as { data: Record<string, unknown> };
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(parsed)}`);
      return parsed.data;
    };
    const workflowId = (await post('/api/v1/workflows', WORKFLOW)).workflow_id as string;
    await post(`/api/v1/workflows/${workflowId}/publish`);
    const hook = await post(`/api/v1/workflows/${workflowId}/webhooks`, {
      name: 'anchor',
      require_signature: false,
      rate_limit_max: 100_000,
      rate_limit_window: 1,
    });
    const targets = {
      'node-red': `${nodeRed.url}/hook`,
      'workflow-core': `${ours.url}/api/v1/workflows/webhooks/${hook.token as string}`,
    } as const;
    let accepted = 0;
    const countOurs = (status: number) => {
      if (status === 200) accepted++;
    };
    // Warm-up of both (JIT, caches), not measured.
    await load(targets['node-red'], connections, 2);
    await load(targets['workflow-core'], connections, 2, countOurs);
    await drained(file, 120_000);
    const results: AnchorRound[] = [];
    for (let round = 0; round < rounds; round++) {
      const order =
        round % 2 === 0 ? (['node-red', 'workflow-core'] as const) : (['workflow-core', 'node-red'] as const);
      for (const target of order) {
        const result = await load(
          targets[target],
          connections,
          seconds,
          target === 'workflow-core' ? countOurs : undefined,
        );
        results.push({
          target,
          requests_per_second: Math.round((result.requests.total - result.non2xx) / seconds),
          p99_ms: result.latency.p99,
          non_2xx: result.non2xx,
        });
        // Ours finishes the runs it accepted before the next round starts.
        if (target === 'workflow-core') await drained(file, 120_000);
      }
    }
    const counts = await drained(file, 120_000);
    const { completed = 0, ...other } = counts;
    const of = (target: AnchorRound['target']) => results.filter((r) => r.target === target);
    const rate = (target: AnchorRound['target']) => of(target).map((r) => r.requests_per_second);
    const nodeRedMedian = median(rate('node-red'));
    const oursMedian = median(rate('workflow-core'));
    const perRound = of('workflow-core').map((r, i) => r.requests_per_second / of('node-red')[i].requests_per_second);
    return {
      rounds: results,
      node_red_median: nodeRedMedian,
      ours_median: oursMedian,
      ratio: Math.round((oursMedian / nodeRedMedian) * 100) / 100,
      node_red_p99_median: median(of('node-red').map((r) => r.p99_ms)),
      ours_p99_median: median(of('workflow-core').map((r) => r.p99_ms)),
      spread: `ours ${Math.min(...rate('workflow-core'))}–${Math.max(...rate('workflow-core'))}, Node-RED ${Math.min(...rate('node-red'))}–${Math.max(...rate('node-red'))} req/s; per-round ratio ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`,
      accepted,
      executions_completed: completed,
      // In-flight answers autocannon did not wait for may add a few executions beyond `accepted`.
      all_completed: completed >= accepted && Object.keys(other).length === 0,
    };
  } finally {
    await nodeRed.stop();
    await ours.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchAnchors();
  console.log(JSON.stringify(result, null, 2));
}
