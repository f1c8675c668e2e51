/**
 * @module bench/expressions.bench
 * Cost of a data_transform node with 3 JSONata transformations, measured through the engine with
 * the real node types: a chain of 10 such nodes run one execution at a time (latency per node),
 * and 32 executions of it at once (throughput, what a busy process sees). `benchExpressionPool`
 * runs it through the worker pool as the service does; `benchExpressions()` alone evaluates in
 * this thread (how expressions ran before the pool).
 */
import type { WorkflowDefinition } from '../src/core/workflow.ts';
import { fakeDeps, request, workflow } from '../src/engine/run.fixture.ts';
import { runExecution } from '../src/engine/run.ts';
import type { EngineDeps } from '../src/engine/types.ts';
import { createExpressionPool } from '../src/expressions/expression-pool.ts';
import { getNodeType } from '../src/nodes/registry.ts';

export interface ExpressionBenchResult {
  readonly name: string;
  readonly sequential_us_per_node: number;
  readonly concurrent_us_per_node: number;
  readonly node_runs: number;
}

const CHAIN = 10;
const TRANSFORMATIONS = {
  name: '$uppercase(user.name)',
  total: '$sum(items.price)',
  expensive: '$count(items[price > 10])',
};

function chain(): WorkflowDefinition {
  const nodes: Record<string, readonly [string, Record<string, unknown>?]> = { t: ['trigger_manual'] };
  const edges: string[] = [];
  for (let i = 0; i < CHAIN; i++) {
    nodes[`x${i}`] = ['data_transform', { transformations: TRANSFORMATIONS }];
    edges.push(`${i === 0 ? 't' : `x${i - 1}`} -> x${i}`);
  }
  return workflow(nodes, edges);
}

const variables = {
  user: { name: 'ada', id: 42 },
  items: Array.from({ length: 20 }, (_, i) => ({ id: i, price: i * 1.5 })),
};

async function once(def: WorkflowDefinition, deps: EngineDeps): Promise<void> {
  const result = await runExecution(request(def, { variables }), deps);
  if (result.status !== 'completed') throw new Error(`expressions bench: ${result.error_message}`);
}

/** `extra`: what the engine needs besides the fakes (the expression pool, when there is one). */
export async function benchExpressions(extra: Partial<EngineDeps> = {}): Promise<ExpressionBenchResult> {
  const deps = { ...fakeDeps({ nodeTypes: getNodeType }), ...extra };
  const def = chain();
  for (let i = 0; i < 50; i++) await once(def, deps); // warm-up: JIT, compiled expressions
  const sequentialRuns = 300;
  let started = performance.now();
  for (let i = 0; i < sequentialRuns; i++) await once(def, deps);
  const sequentialUs = ((performance.now() - started) * 1000) / (sequentialRuns * CHAIN);
  const batches = 20;
  const width = 32;
  started = performance.now();
  for (let b = 0; b < batches; b++) await Promise.all(Array.from({ length: width }, () => once(def, deps)));
  const concurrentUs = ((performance.now() - started) * 1000) / (batches * width * CHAIN);
  return {
    name: 'data_transform, 3 JSONata transformations',
    sequential_us_per_node: Math.round(sequentialUs * 10) / 10,
    concurrent_us_per_node: Math.round(concurrentUs * 10) / 10,
    node_runs: (sequentialRuns + batches * width) * CHAIN,
  };
}

/** Through the worker pool the service uses (2 workers, as EXPRESSION_WORKERS defaults). */
export async function benchExpressionPool(): Promise<ExpressionBenchResult> {
  const pool = createExpressionPool({ size: 2, memoryMb: 128 });
  try {
    await pool.warm();
    return {
      ...(await benchExpressions({ expressions: pool })),
      name: 'data_transform, 3 JSONata transformations, worker pool',
    };
  } finally {
    await pool.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchExpressionPool(), null, 2));
}
