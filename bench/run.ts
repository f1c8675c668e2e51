/**
 * @module bench/run
 * `npm run bench`: every benchmark in turn, each against its target, printed as the Markdown
 * table that docs/BENCHMARKS.md records (with the machine it ran on). `npm run bench -- NAME…`
 * runs some of them: validate, engine, expressions, http, executions, webhooks, events, startup,
 * grpc, run-page, retention, editor, and (only when named) cluster (PostgreSQL + Redis, 1 and 2 workers,
 * per-execution costs; starts its own redis-server) and anchors: the webhook workload side by side
 * with Node-RED 4.1, installed on first use.
 */
import { cpus, loadavg } from 'node:os';
import { benchAnchors, NODE_RED_VERSION } from './anchors.bench.ts';
import { benchCluster } from './cluster.bench.ts';
import { benchEditor } from './editor.bench.ts';
import { benchEngine } from './engine.bench.ts';
import { benchEvents } from './events.bench.ts';
import { benchExecutions } from './executions.bench.ts';
import { benchExpressionPool, benchExpressions } from './expressions.bench.ts';
import { benchGrpc } from './grpc.bench.ts';
import { benchHttp } from './http.bench.ts';
import { benchRetention } from './retention.bench.ts';
import { benchRunPage } from './run-page.bench.ts';
import { benchStartup } from './startup.bench.ts';
import { benchValidate } from './validate.bench.ts';
import { benchWebhooks } from './webhooks.bench.ts';

interface Row {
  readonly benchmark: string;
  readonly result: string;
  readonly target: string;
  readonly met: boolean | null;
}

const BENCHES: Record<string, () => Promise<Row[]>> = {
  async validate() {
    const r = await benchValidate();
    return [
      {
        benchmark: r.name,
        result: `median ${r.median_ms} ms, p99 ${r.p99_ms} ms`,
        target: 'median < 5 ms',
        met: r.median_ms < 5,
      },
    ];
  },
  async engine() {
    const r = await benchEngine();
    return r.cases.map((c) => ({
      benchmark: `engine: ${c.name}`,
      result: `${c.engine_overhead_us_per_node_run.toFixed(2)} µs engine overhead per node run (${c.us_per_node_run.toFixed(2)} µs with executors)`,
      target: '< 10 µs per node',
      met: c.engine_overhead_us_per_node_run < 10,
    }));
  },
  async expressions() {
    const rows: Row[] = [];
    for (const r of [await benchExpressions(), await benchExpressionPool()]) {
      rows.push({
        benchmark: r.name,
        result: `${r.sequential_us_per_node} µs per node run one execution at a time, ${r.concurrent_us_per_node} µs per node run with 32 at once`,
        target: '(none set; reported)',
        met: null,
      });
    }
    return rows;
  },
  async http() {
    const r = await benchHttp();
    return [
      {
        benchmark: r.name,
        result: `${Math.round(r.requests_per_second)} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, ${r.non_2xx} non-2xx`,
        target: '≥ 3,000 req/s, p99 < 20 ms',
        met: r.requests_per_second >= 3000 && r.p99_ms < 20 && r.non_2xx === 0,
      },
    ];
  },
  async executions() {
    const r = await benchExecutions();
    return [
      {
        benchmark: r.name,
        result: `${r.completed_per_second} completed/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms (request → completion), ${r.not_completed} not completed`,
        target: '≥ 1,500 completed/s',
        met: r.completed_per_second >= 1500 && r.not_completed === 0,
      },
    ];
  },
  async webhooks() {
    const r = await benchWebhooks();
    return [
      {
        benchmark: `${r.name}: throughput`,
        result: `${r.accepted_per_second} accepted/s (p99 ${r.throughput_p99_ms} ms); all ${r.executions_completed} executions completed: ${r.all_completed}`,
        target: '≥ 3,000 accepted/s, every execution completed',
        met: r.accepted_per_second >= 3000 && r.all_completed,
      },
      {
        benchmark: `${r.name}: latency at ${r.fixed_rate} req/s`,
        result: `p50 ${r.fixed_rate_p50_ms} ms, p99 ${r.fixed_rate_p99_ms} ms`,
        target: 'p99 < 15 ms',
        met: r.fixed_rate_p99_ms < 15,
      },
    ];
  },
  async events() {
    const r = await benchEvents();
    return [
      {
        benchmark: `${r.name}, in process`,
        result: `${r.in_process_events_per_second} events/s`,
        target: '≥ 5,000 events/s, lookup without scanning',
        met: r.in_process_events_per_second >= 5000,
      },
      {
        benchmark: r.name,
        result: `${Math.round(r.events_per_second)} events/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, ${r.non_2xx} non-2xx`,
        target: '≥ 5,000 events/s',
        met: r.events_per_second >= 5000,
      },
    ];
  },
  async 'run-page'() {
    const r = await benchRunPage();
    return [
      {
        benchmark: r.name,
        result: `median ${r.median_ms} ms, worst ${r.worst_ms} ms over ${r.loads} loads`,
        target: '< 1,500 ms',
        met: r.median_ms < 1500,
      },
    ];
  },
  async startup() {
    const r = await benchStartup();
    return [
      {
        benchmark: r.name,
        result: `node dist/main.js: median ${r.compiled_median_ms} ms (${r.compiled_ms.join(', ')}); npm start (tsx): median ${r.tsx_median_ms} ms (${r.tsx_ms.join(', ')})`,
        target: '(none set; reported)',
        met: null,
      },
    ];
  },
  async grpc() {
    const r = await benchGrpc();
    return [
      {
        benchmark: r.name,
        result: `${r.calls_per_second} calls/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, ${r.errors} errors`,
        target: '(none set; reported)',
        met: null,
      },
    ];
  },
  async retention() {
    const r = await benchRetention();
    return [
      {
        benchmark: r.name,
        result: `p50/p99 ${r.pruning_p50_ms}/${r.pruning_p99_ms} ms while pruning (${r.deleted_during_load} rows deleted during the load, all in ${r.prune_seconds} s), ${r.quiet_p50_ms}/${r.quiet_p99_ms} ms with nothing to prune, ${r.errors} errors`,
        target: 'p99 while pruning ≤ 1.5 × p99 without + 5 ms',
        met: r.errors === 0 && r.pruning_p99_ms <= r.quiet_p99_ms * 1.5 + 5,
      },
    ];
  },
  async editor() {
    const r = await benchEditor();
    return [
      {
        benchmark: `${r.name}: open`,
        result: `interactive after median ${r.open_median_ms} ms (max ${r.open_max_ms} ms of ${5} opens), ${r.nodes_rendered} nodes drawn`,
        target: '< 1,500 ms',
        met: r.open_median_ms < 1500,
      },
      ...(
        [
          ['drag within the view', r.drag_in_view],
          ['drag to the canvas edge (the view pans every frame)', r.drag_to_edge],
        ] as const
      ).map(([what, d]) => ({
        benchmark: `${r.name}: ${what}`,
        result: `p95 frame ${d.p95_ms} ms, max ${d.max_ms} ms over ${d.frames} frames`,
        target: 'p95 < 32 ms',
        met: d.p95_ms < 32,
      })),
      {
        benchmark: `${r.name}: CPU per frame of the edge drag (trace)`,
        result: r.drag_to_edge_cpu_ms_per_frame
          ? `${r.drag_to_edge_cpu_ms_per_frame.main} ms main thread + ${r.drag_to_edge_cpu_ms_per_frame.raster} ms raster over ${r.drag_to_edge_cpu_ms_per_frame.frames} frames`
          : 'no trace',
        target: '(reported: a frame is 16.7 ms)',
        met: null,
      },
      {
        benchmark: 'editor: initial JavaScript',
        result: `${r.initial_js_kb_gzip} KB gzip; forms and CodeMirror loaded at open: ${r.lazy_chunks_loaded_at_open.length ? r.lazy_chunks_loaded_at_open.join(', ') : 'none'}`,
        target: '≤ 300 KB gzip, forms and CodeMirror lazy',
        met: r.initial_js_kb_gzip <= 300 && r.lazy_chunks_loaded_at_open.length === 0,
      },
    ];
  },
};

/** Only when named: they install or start something beyond this repository. */
const OPT_IN: Record<string, () => Promise<Row[]>> = {
  async cluster() {
    const r = await benchCluster();
    console.error(JSON.stringify(r.cost, null, 2));
    const c = r.cost;
    return [
      ...r.throughput.map((t) => ({
        benchmark: `webhooks, ${t.setup}`,
        result: `${t.accepted_per_second} accepted/s (p99 ${t.p99_ms} ms), ${t.executions_per_second} executions/s until drained; ${t.not_completed} not completed (load ${t.load_average})`,
        target: '(reported)',
        met: null,
      })),
      {
        benchmark: 'cost of one webhook execution on PostgreSQL + Redis (serve + 1 worker)',
        result: `${c.statements_per_execution} SQL statements, ${c.rows_inserted_per_execution} rows inserted, ${c.rows_updated_per_execution} updated, ${c.bytes_to_postgres_per_execution} B sent, ${c.bytes_stored_per_execution} B stored, ${c.wal_bytes_per_execution} B of WAL; ${c.redis_commands_per_execution} Redis commands; CPU ms: serve ${c.cpu_ms_per_execution.serve}, worker ${c.cpu_ms_per_execution.worker}, PostgreSQL ${c.cpu_ms_per_execution.postgres}, Redis ${c.cpu_ms_per_execution.redis} (load ${c.load_average})`,
        target: '(for sizing)',
        met: null,
      },
    ];
  },
  async anchors() {
    const r = await benchAnchors();
    for (const round of r.rounds) console.error(JSON.stringify(round));
    return [
      {
        benchmark: `webhooks vs Node-RED ${NODE_RED_VERSION} (transform → condition → chat, 50 connections, unsigned, alternating rounds)`,
        result: `${r.ratio}× (median ${r.ours_median} vs ${r.node_red_median} req/s; ${r.spread}); p99 median ${r.ours_p99_median} vs ${r.node_red_p99_median} ms; all ${r.executions_completed} executions completed: ${r.all_completed}`,
        target: '≥ 1.0×, p99 below Node-RED, every execution completed',
        met: r.ratio >= 1 && r.ours_p99_median < r.node_red_p99_median && r.all_completed,
      },
    ];
  },
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHES);
const ALL = { ...BENCHES, ...OPT_IN };
const unknown = names.filter((name) => !ALL[name]);
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(ALL).join(', ')}`);
  process.exit(2);
}

console.log(
  `# ${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · Node ${process.version} · load average before ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const rows: Row[] = [];
for (const name of names) {
  const started = Date.now();
  const produced = await ALL[name]();
  rows.push(...produced);
  console.error(`${name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
console.log('\n| benchmark | result | target | met |\n|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.benchmark} | ${row.result} | ${row.target} | ${row.met === null ? '—' : row.met ? 'yes' : '**no**'} |`,
  );
}
