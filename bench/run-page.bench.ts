/**
 * @module bench/run-page
 * How fast the run page of a 1,000-iteration loop opens in the browser: a real serve, the built
 * web app, the system's Chromium; from navigation until the canvas and all 1,000 timeline bars
 * of the loop body are drawn. One warm-up load, then the median and worst of several.
 */
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { startBenchServer } from './server.ts';

interface PageDocument {
  querySelectorAll(selector: string): { length: number };
  querySelector(selector: string): unknown;
}

const ITERATIONS = 1000;
const LOADS = 7;

async function json(response: Response): Promise<{ data: Record<string, unknown> }> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as { data: Record<string, unknown> };
}

export async function benchRunPage() {
  if (spawnSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' }).status !== 0) {
    throw new Error('the web app did not build');
  }
  const server = await startBenchServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const token = await server.token('1', { entities: [123] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }).then(json);
    const created = await post('/api/v1/workflows', {
      name: 'Big loop',
      entity_id: 123,
      nodes: {
        start: { node_type: 'trigger_manual', position: { x: 0, y: 0 } },
        each: { node_type: 'loop_foreach', config: { array_variable: 'items' }, position: { x: 220, y: 0 } },
        body: {
          node_type: 'data_variable_set',
          config: { variables: { seen: '{{ item }}' } },
          position: { x: 440, y: 80 },
        },
        end: { node_type: 'flow_end', position: { x: 440, y: -80 } },
      },
      connections: [
        {
          connection_id: 'c1',
          from_node_id: 'start',
          from_port_name: 'output',
          to_node_id: 'each',
          to_port_name: 'input',
        },
        {
          connection_id: 'c2',
          from_node_id: 'each',
          from_port_name: 'loop',
          to_node_id: 'body',
          to_port_name: 'input',
        },
        {
          connection_id: 'c3',
          from_node_id: 'body',
          from_port_name: 'output',
          to_node_id: 'each',
          to_port_name: 'input',
        },
        { connection_id: 'c4', from_node_id: 'each', from_port_name: 'done', to_node_id: 'end', to_port_name: 'input' },
      ],
    });
    const workflowId = created.data.workflow_id as string;
    await post(`/api/v1/workflows/${workflowId}/publish`, {});
    const run = await post(`/api/v1/workflows/${workflowId}/execute`, {
      variables: { items: Array.from({ length: ITERATIONS }, (_, i) => i) },
      wait_for_completion: true,
      timeout_seconds: 120,
    });
    if (run.data.status !== 'completed') throw new Error(`the loop run ended ${run.data.status}`);
    const url = `${server.url}/executions/${run.data.execution_id as string}`;

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript({ content: `sessionStorage.setItem('workflow-core.token', ${JSON.stringify(token)})` });
    const page = await context.newPage();
    const times: number[] = [];
    for (let i = 0; i <= LOADS; i++) {
      const started = performance.now();
      await page.goto(url);
      await page.waitForFunction(
        (count) => {
          // Runs in the page; the bench's TypeScript has no DOM types.
          const doc = (globalThis as unknown as { document: PageDocument }).document;
          return (
            doc.querySelectorAll('.gantt-row[data-node="body"] .gantt-bar').length === count &&
            doc.querySelector('[data-testid="run-node-body"]') !== null
          );
        },
        ITERATIONS,
        { polling: 'raf', timeout: 30_000 },
      );
      // The first load fills the browser's cache; a user who opens runs has it filled too.
      if (i > 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      name: `run page of a ${ITERATIONS}-iteration loop (navigation → canvas and ${ITERATIONS} timeline bars drawn)`,
      median_ms: Math.round(times[Math.floor(times.length / 2)]),
      worst_ms: Math.round(times[times.length - 1]),
      loads: times.length,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}
