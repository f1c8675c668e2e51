/// <reference lib="dom" />
/**
 * @module bench/editor
 * The editor in headless Chromium against a real serve: how long a 500-node workflow takes from
 * navigation to an interactive canvas, the frame times while a node is dragged (within the view,
 * and to the canvas edge where the view pans), the CPU time such a frame costs, and how much
 * JavaScript (gzip) the editor needs before any form or code editor is opened.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_FLAGS } from '../web/playwright.config.ts';
import { startBenchServer } from './server.ts';

const NODE_COUNT = 500;
const OPENS = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function bigWorkflow() {
  const types = ['data_variable_set', 'condition_if', 'action_chat_message', 'data_transform'];
  const configs: Record<string, object> = {
    data_variable_set: { variables: { n: '{{ n }}' } },
    condition_if: { expression: 'n > 1' },
    action_chat_message: { message: 'step {{ n }}' },
    data_transform: { transformations: { n: 'n + 1' } },
  };
  const nodes: Record<string, object> = { start: { node_type: 'trigger_manual', position: { x: 0, y: 0 } } };
  const connections: object[] = [];
  let previous = 'start';
  let previousPort = 'output';
  for (let i = 1; i < NODE_COUNT; i++) {
    const type = types[i % types.length];
    const id = `n${i}`;
    nodes[id] = {
      node_type: type,
      label: `Step ${i}`,
      position: { x: (i % 25) * 260, y: Math.floor(i / 25) * 140 },
      config: configs[type],
    };
    connections.push({ from_node_id: previous, from_port_name: previousPort, to_node_id: id, to_port_name: 'input' });
    previous = id;
    previousPort = type === 'condition_if' ? 'true' : 'output';
  }
  return { name: '500 nodes', entity_id: 123, nodes, connections };
}

function frameStats(sorted: number[]) {
  return {
    frames: sorted.length,
    p95_ms: Number(percentile(sorted, 95).toFixed(1)),
    max_ms: Number(sorted[sorted.length - 1].toFixed(1)),
  };
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

/**
 * CPU time (thread time, so waiting for a core does not count) per frame in the page's renderer:
 * its main thread (scripts, style, layout, paint) and its raster workers (software raster here,
 * as the browser runs with --disable-gpu).
 */
function cpuPerFrame(trace: Buffer) {
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const threads = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  // The page's renderer is the one that drew the frames (the browser may keep others).
  const drawn = new Map<string, number>();
  for (const e of events) {
    if (e.ph === 'X' && e.name === 'WebFrameWidgetImpl::UpdateLifecycle') {
      const thread = `${e.pid}:${e.tid}`;
      drawn.set(thread, (drawn.get(thread) ?? 0) + 1);
    }
  }
  const [main, frames] = [...drawn].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const renderer = main.split(':')[0];
  let mainUs = 0;
  let rasterUs = 0;
  for (const e of events) {
    if (e.ph !== 'X' || !e.tdur) continue;
    const thread = `${e.pid}:${e.tid}`;
    if (thread === main && e.name === 'ThreadControllerImpl::RunTask') mainUs += e.tdur;
    if (
      String(e.pid) === renderer &&
      threads.get(thread) === 'ThreadPoolForegroundWorker' &&
      e.name === 'ThreadPool_RunTask'
    )
      rasterUs += e.tdur;
  }
  const per = (us: number) => Number((us / 1000 / Math.max(1, frames)).toFixed(1));
  return { frames, main: per(mainUs), raster: per(rasterUs) };
}

export async function benchEditor() {
  const build = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build-web.mjs')], {
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the web build failed');
  const server = await startBenchServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  try {
    const token = await server.token('1', { entities: [123] });
    const created = await fetch(`${server.url}/api/v1/workflows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(bigWorkflow()),
    });
    const id = ((await created.json()) as { data: { workflow_id: string } }).data.workflow_id;
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript((value) => sessionStorage.setItem('workflow-core.token', value), token);
    const page = await context.newPage();

    const scripts = new Map<string, number>();
    page.on('response', async (response) => {
      if (!response.url().endsWith('.js')) return;
      const body = await response.body().catch(() => Buffer.alloc(0));
      scripts.set(new URL(response.url()).pathname, gzipSync(body).length);
    });

    const opens: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      await page.goto(`${server.url}/workflows/${id}`);
      await page.waitForFunction(
        (count) => document.querySelectorAll('.react-flow__node').length >= count,
        Math.min(NODE_COUNT, 50),
      );
      // Interactive: the nodes are on screen and the main thread answers the next frame and task.
      const at = await page.evaluate(
        () =>
          new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now())))),
      );
      opens.push(at);
    }
    const rendered = await page.locator('.react-flow__node').count();
    const initialScripts = [...scripts].filter(([path]) => !/config-form|code-field|json-editor/.test(path));
    const lazyLoadedEarly = [...scripts.keys()].filter((path) => /config-form|code-field/.test(path));
    const initialKb = initialScripts.reduce((sum, [, size]) => sum + size, 0) / 1024;

    // Each drag on a freshly opened page (the view as it opens): one node through 120 mouse steps
    // while the page records the intervals between animation frames. Within the view, and towards
    // the canvas edge, where React Flow pans the view on every frame (everything moves, and the
    // nodes coming into view are drawn for the first time). The last one repeats the edge drag
    // under a Chromium trace for the CPU time a frame costs, which the machine's load does not change.
    const drag = async (nodeId: string, dx: number, trace = false) => {
      await page.goto(`${server.url}/workflows/${id}`);
      await page.waitForFunction(() => document.body.dataset.editorReady === 'true');
      await page.waitForTimeout(500);
      const box = await page.locator(`.react-flow__node[data-id="${nodeId}"] .node-head`).boundingBox();
      if (!box) throw new Error(`node ${nodeId} is not on screen`);
      // A string, so the bundler's helpers (named functions) stay out of the page.
      await page.evaluate(`(() => {
        window.frames_ = [];
        window.stop_ = false;
        let last = performance.now();
        const tick = (now) => {
          window.frames_.push(now - last);
          last = now;
          if (!window.stop_) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      })()`);
      if (trace) await browser.startTracing(page, { categories: ['toplevel', 'blink'] });
      await page.mouse.move(box.x + 20, box.y + 8);
      await page.mouse.down();
      for (let step = 1; step <= 120; step++) {
        await page.mouse.move(box.x + 20 + step * dx, box.y + 8 + Math.sin(step / 10) * 40);
      }
      await page.mouse.up();
      const frames = await page.evaluate(() => {
        const w = window as unknown as { frames_: number[]; stop_: boolean };
        w.stop_ = true;
        return w.frames_.slice(1);
      });
      frames.sort((a, b) => a - b);
      return { frames, cpu: trace ? cpuPerFrame(await browser.stopTracing()) : undefined };
    };
    const inView = await drag('n55', -3);
    const toEdge = await drag('n30', 3);
    const traced = await drag('n30', 3, true);
    opens.sort((a, b) => a - b);
    await context.close();
    return {
      name: `editor: ${NODE_COUNT}-node workflow (headless Chromium)`,
      open_median_ms: Math.round(percentile(opens, 50)),
      open_max_ms: Math.round(opens[opens.length - 1]),
      nodes_rendered: rendered,
      drag_in_view: frameStats(inView.frames),
      drag_to_edge: frameStats(toEdge.frames),
      drag_to_edge_cpu_ms_per_frame: traced.cpu,
      initial_js_kb_gzip: Number(initialKb.toFixed(1)),
      lazy_chunks_loaded_at_open: lazyLoadedEarly,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await benchEditor(), null, 2));
