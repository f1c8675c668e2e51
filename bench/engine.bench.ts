/**
 * @module bench/engine.bench
 * Engine overhead per node run, with trivial in-memory node types so the number is the walk's own
 * cost (context, recording, routing, skips, loop frames): a 1,000-node chain of data/condition
 * nodes run 5 times, and a 5,000-item foreach whose body is a condition with two branches.
 * The direct cost of calling the same executors is measured too and subtracted.
 */
import type { WorkflowDefinition } from '../src/core/workflow.ts';
import { fakeDeps, request, workflow } from '../src/engine/run.fixture.ts';
import { runExecution } from '../src/engine/run.ts';
import { createScope } from '../src/engine/scope.ts';
import type { NodeContext } from '../src/nodes/node-type.ts';

export interface EngineBenchCase {
  readonly name: string;
  readonly node_runs: number;
  readonly total_ms: number;
  readonly us_per_node_run: number;
  /** us_per_node_run minus the cost of calling the executors directly. */
  readonly engine_overhead_us_per_node_run: number;
}

export interface EngineBenchResult {
  readonly cases: readonly EngineBenchCase[];
  readonly executor_only_us_per_call: number;
}

const LIMITS = { maxLoopIterations: 100_000, maxTotalOperations: 1_000_000 };

function chain(length: number): WorkflowDefinition {
  const nodes: Record<string, readonly [string, Record<string, unknown>?]> = { n0: ['trigger_manual'] };
  const edges: string[] = [];
  for (let i = 1; i < length; i++) {
    // Every third node is a condition with a dead `false` branch, so skips are part of the cost.
    nodes[`n${i}`] = i % 3 === 0 ? ['condition_if', { variable: 'flag', equals: true }] : ['step', { output: { i } }];
    edges.push(i % 3 === 1 && i > 1 ? `n${i - 1}:true -> n${i}` : `n${i - 1} -> n${i}`);
    if (i % 3 === 0) {
      nodes[`dead${i}`] = ['step'];
      edges.push(`n${i}:false -> dead${i}`);
    }
  }
  return workflow(nodes, edges);
}

function loop(): WorkflowDefinition {
  return workflow(
    {
      t: ['trigger_manual'],
      fe: ['loop_foreach', { array_variable: 'items', max_iterations: 100_000 }],
      even: ['condition_if', { variable: 'item.even', equals: true }],
      yes: ['step'],
      no: ['step'],
      after: ['step'],
    },
    ['t -> fe', 'fe:loop -> even', 'even:true -> yes', 'even:false -> no', 'fe:done -> after'],
  );
}

async function measure(
  name: string,
  def: WorkflowDefinition,
  variables: Record<string, unknown>,
  repeat: number,
  baselineUs: number,
) {
  const deps = fakeDeps({ limits: LIMITS });
  for (let i = 0; i < 10; i++) await runExecution(request(def, { variables }), deps); // warm-up: JIT, plan cache
  let runs = 0;
  const started = performance.now();
  for (let i = 0; i < repeat; i++) {
    const result = await runExecution(request(def, { variables }), deps);
    if (result.status !== 'completed') throw new Error(`${name}: ${result.error_message}`);
    runs += result.execution_path.length;
  }
  const totalMs = performance.now() - started;
  const perRun = (totalMs * 1000) / runs;
  return {
    name,
    node_runs: runs,
    total_ms: Math.round(totalMs * 10) / 10,
    us_per_node_run: Math.round(perRun * 100) / 100,
    engine_overhead_us_per_node_run: Math.round((perRun - baselineUs) * 100) / 100,
  };
}

/** Cost of calling the fake executors directly with a prepared context. */
function executorBaseline(): number {
  const types = fakeDeps().nodeTypes;
  const step = types('step');
  const condition = types('condition_if');
  if (!step || !condition) throw new Error('fake node types missing');
  const ctx = { scope: createScope({ flag: true }), log: () => undefined } as unknown as NodeContext;
  const calls = 200_000;
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    if (i % 3 === 0) condition.execute({ variable: 'flag', equals: true }, null, ctx);
    else step.execute({ output: i }, null, ctx);
  }
  return ((performance.now() - started) * 1000) / calls;
}

export async function benchEngine(): Promise<EngineBenchResult> {
  const baseline = executorBaseline();
  const items = Array.from({ length: 5000 }, (_, i) => ({ id: i, even: i % 2 === 0 }));
  const cases = [
    await measure('chain: 1,000 data/condition nodes x 20 runs', chain(1000), { flag: true }, 20, baseline),
    await measure('loop: foreach over 5,000 items, condition + branch body', loop(), { items }, 2, baseline),
  ];
  return { cases, executor_only_us_per_call: Math.round(baseline * 1000) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchEngine(), null, 2));
}
