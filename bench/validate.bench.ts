/**
 * @module bench/validate.bench
 * Times validateWorkflow on a realistic 500-node workflow: three triggers, blocks of conditions,
 * switches, deliveries, transforms and merges chained one after another, and a loop with a break.
 * `npx tsx bench/validate.bench.ts` prints the result as JSON.
 */
import { pathToFileURL } from 'node:url';
import { validateWorkflow } from '../src/core/validate.ts';
import type { Connection, WorkflowDefinition, WorkflowNode } from '../src/core/workflow.ts';
import { getNodeType } from '../src/nodes/registry.ts';

const NODE_COUNT = 500;
const WARMUP_RUNS = 20;
const RUNS = 300;

export interface BenchResult {
  readonly name: string;
  readonly median_ms: number;
  readonly p99_ms: number;
  readonly runs: number;
}

/** One block of 12 nodes between `entry` and `exit`: the shape of a typical chat automation. */
function addBlock(
  nodes: Record<string, WorkflowNode>,
  connect: (from: string, port: string, to: string) => void,
  index: number,
  entry: string,
): string {
  const id = (name: string): string => `b${index}_${name}`;
  nodes[id('check')] = {
    node_type: 'condition_if',
    config: {
      rules: [
        { variable: 'user.points', operator: 'greater_than', value: index },
        { variable: 'message', operator: 'matches_regex', value: `^!cmd${index}\\b` },
      ],
      match: 'all',
    },
  };
  nodes[id('greet')] = {
    node_type: 'action_chat_message',
    config: { message: `Block ${index}: hi {{ username }}, you have {{ user.points }}` },
  };
  nodes[id('set')] = {
    node_type: 'data_variable_set',
    config: { variables: { last_block: index, greeting: 'Hi {{ username }}' } },
  };
  nodes[id('calc')] = {
    node_type: 'data_transform',
    config: { transformations: { total: `$sum(items.price) * ${index}`, names: 'items.name' } },
  };
  nodes[id('route')] = {
    node_type: 'condition_switch',
    config: { variable: 'tier', cases: { '1000': 'low', '2000': 'mid', '3000': 'high' } },
  };
  nodes[id('hook')] = {
    node_type: 'action_webhook',
    config: { url: 'https://api.example.com/events/{{ user_id }}', body: { block: index, user: '{{ username }}' } },
  };
  nodes[id('module')] = {
    node_type: 'action_module',
    config: { module_name: 'shoutout', input_mapping: { target: '{{ args[0] }}' } },
  };
  nodes[id('overlay')] = {
    node_type: 'action_browser_source',
    config: { content: '{{ username }} subscribed!', duration: 5 },
  };
  nodes[id('fallback')] = {
    node_type: 'data_variable_get',
    config: { variable_name: 'user.name', output_variable: 'who', default_value: 'friend' },
  };
  nodes[id('join')] = { node_type: 'flow_merge', config: {} };
  nodes[id('wait')] = { node_type: 'action_delay', config: { delay_ms: 100 } };
  nodes[id('done')] = { node_type: 'flow_merge', config: {} };
  connect(entry, 'output', id('check'));
  connect(id('check'), 'true', id('greet'));
  connect(id('greet'), 'output', id('set'));
  connect(id('set'), 'output', id('calc'));
  connect(id('calc'), 'output', id('done'));
  connect(id('check'), 'false', id('route'));
  connect(id('route'), 'low', id('hook'));
  connect(id('route'), 'mid', id('module'));
  connect(id('route'), 'high', id('overlay'));
  connect(id('route'), 'default', id('fallback'));
  for (const branch of ['hook', 'module', 'overlay', 'fallback']) connect(id(branch), 'output', id('join'));
  connect(id('join'), 'output', id('wait'));
  connect(id('wait'), 'output', id('done'));
  return id('done');
}

export function buildBenchWorkflow(nodeCount = NODE_COUNT): Pick<WorkflowDefinition, 'nodes' | 'connections'> {
  const nodes: Record<string, WorkflowNode> = {
    command: { node_type: 'trigger_command', config: { command_name: '!go', cooldown_seconds: 5 } },
    hook: { node_type: 'trigger_webhook', config: {} },
    nightly: { node_type: 'trigger_schedule', config: { cron: '0 3 * * *', timezone: 'Europe/Berlin' } },
    start: { node_type: 'flow_merge', config: { input_ports_required: 1 } },
    each: { node_type: 'loop_foreach', config: { array_variable: 'items', item_variable: 'item' } },
    item_check: { node_type: 'condition_if', config: { expression: 'item.price > 100' } },
    item_stop: { node_type: 'loop_break', config: {} },
    item_say: { node_type: 'action_chat_message', config: { message: '{{ item.name }} costs {{ item.price }}' } },
    item_filter: {
      node_type: 'condition_filter',
      config: { input_array: 'item.tags', rules: [{ variable: 'item', operator: 'is_not_empty' }] },
    },
  };
  const connections: Connection[] = [];
  const connect = (from: string, port: string, to: string): void => {
    connections.push({
      connection_id: `c${connections.length + 1}`,
      from_node_id: from,
      from_port_name: port,
      to_node_id: to,
      to_port_name: 'input',
    });
  };
  for (const trigger of ['command', 'hook', 'nightly']) connect(trigger, 'output', 'start');
  connect('start', 'output', 'each');
  connect('each', 'loop', 'item_check');
  connect('item_check', 'true', 'item_stop');
  connect('item_check', 'false', 'item_say');
  connect('item_say', 'output', 'item_filter');
  connect('item_filter', 'output', 'each');
  connect('item_stop', 'output', 'each');
  let exit = 'each';
  let port = 'done';
  for (let index = 0; Object.keys(nodes).length + 13 <= nodeCount; index += 1) {
    const entry = `link${index}`;
    nodes[entry] = { node_type: 'data_variable_set', config: { variables: { step: index } } };
    connect(exit, port, entry);
    exit = addBlock(nodes, connect, index, entry);
    port = 'output';
  }
  while (Object.keys(nodes).length < nodeCount - 1) {
    const id = `tail${Object.keys(nodes).length}`;
    nodes[id] = { node_type: 'data_variable_set', config: { variables: { tail: true } } };
    connect(exit, port, id);
    exit = id;
    port = 'output';
  }
  nodes.finish = { node_type: 'flow_end', config: { final_output: { total: '{{ total }}' } } };
  connect(exit, port, 'finish');
  return { nodes, connections };
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export async function benchValidate(): Promise<BenchResult> {
  const definition = buildBenchWorkflow();
  const check = validateWorkflow(definition, getNodeType);
  if (!check.is_valid || Object.keys(definition.nodes).length !== NODE_COUNT) {
    throw new Error(
      `bench workflow is not a valid ${NODE_COUNT}-node workflow: ${check.errors.slice(0, 3).join('; ')}`,
    );
  }
  for (let run = 0; run < WARMUP_RUNS; run += 1) validateWorkflow(definition, getNodeType);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    validateWorkflow(definition, getNodeType);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return {
    name: `validateWorkflow (${NODE_COUNT} nodes)`,
    median_ms: round(percentile(times, 0.5)),
    p99_ms: round(percentile(times, 0.99)),
    runs: RUNS,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchValidate()));
}
