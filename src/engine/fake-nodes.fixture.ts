/**
 * @module engine/fake-nodes.fixture
 * Small node types with the real contract, for the engine's tests and benchmark: they keep the
 * real type names and declarations where the engine cares (flow_merge is a join; loops, parallel,
 * break and end return the real control results) and add probes (journal, failures, hangs) the real ones lack,
 * so the engine is tested on its own, independent of the catalog in src/nodes.
 */
import { Type } from '@sinclair/typebox';
import { defineNode, NodeError, type NodeType } from '../nodes/node-type.ts';

const ANY_CONFIG = Type.Record(Type.String(), Type.Unknown());

export interface FakeNodeTypes {
  readonly nodeTypes: (type: string) => NodeType | undefined;
  /** `start:<node>` / `end:<node>` lines written by `probe` nodes, in the order they happened. */
  readonly journal: string[];
}

type Config = Record<string, unknown>;

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

function fake(
  type: string,
  outputPorts: readonly string[],
  execute: NodeType['execute'],
  extra: Partial<
    Pick<NodeType, 'category' | 'hasInput' | 'effect' | 'costlyToRepeat' | 'structure' | 'joinInputs'>
  > = {},
): NodeType {
  return defineNode<Config>({
    type,
    category: 'data',
    description: `fake ${type}`,
    configSchema: ANY_CONFIG,
    outputSchema: Type.Unknown(),
    examples: [{}],
    outputPorts,
    hasInput: true,
    effect: 'none',
    ...extra,
    execute,
  });
}

export function createFakeNodeTypes(): FakeNodeTypes {
  const journal: string[] = [];
  const failures = new Map<string, number>();
  const trigger: NodeType['execute'] = (_config, input) => ({ output: input, ports: ['output'] });
  const list: NodeType[] = [
    fake('trigger_manual', ['output'], trigger, { category: 'trigger', hasInput: false }),
    fake('trigger_command', ['output'], trigger, { category: 'trigger', hasInput: false }),
    // step: output = the variable at config.read, else config.output, else the input;
    // config.set = {path: value} writes variables; config.log writes a log line.
    fake('step', ['output', 'error'], (config, input, ctx) => {
      const set = (config.set ?? {}) as Config;
      for (const [name, value] of Object.entries(set)) ctx.scope.set(name, value);
      if (typeof config.log === 'string') ctx.log(config.log);
      if (typeof config.read === 'string') return { output: ctx.scope.get(config.read), ports: ['output'] };
      return { output: config.output === undefined ? input : config.output, ports: ['output'] };
    }),
    // increment: adds 1 to the number at config.variable.
    fake('increment', ['output'], (config, _input, ctx) => {
      const name = str(config.variable, 'counter');
      const next = num(ctx.scope.get(name), 0) + 1;
      ctx.scope.set(name, next);
      return { output: { [name]: next }, ports: ['output'] };
    }),
    fake(
      'condition_if',
      ['true', 'false'],
      (config, _input, ctx) => {
        const result = ctx.scope.get(str(config.variable, '')) === config.equals;
        return { output: { result }, ports: [result ? 'true' : 'false'] };
      },
      { category: 'condition' },
    ),
    fake(
      'loop_foreach',
      ['loop', 'done'],
      (config, _input, ctx) => {
        const items = ctx.scope.get(str(config.array_variable, 'items'));
        if (!Array.isArray(items)) throw new NodeError('array_variable is not an array', 'NOT_AN_ARRAY');
        return {
          output: { count: items.length },
          ports: [],
          control: {
            kind: 'foreach',
            items,
            itemVariable: str(config.item_variable, 'item'),
            indexVariable: str(config.index_variable, 'index'),
            maxIterations: num(config.max_iterations, 1000),
          },
        };
      },
      { category: 'loop', structure: 'loop' },
    ),
    // while: proceeds while the number at config.variable is below config.less_than.
    fake(
      'loop_while',
      ['loop', 'done'],
      (config, _input, ctx) => {
        const proceed = num(ctx.scope.get(str(config.variable, 'counter')), 0) < num(config.less_than, 0);
        return {
          output: { proceed },
          ports: [],
          control: { kind: 'while', proceed, maxIterations: num(config.max_iterations, 1000) },
        };
      },
      { category: 'loop', structure: 'loop' },
    ),
    // break: when config.variable equals config.equals (always without a variable).
    fake(
      'loop_break',
      ['output'],
      (config, _input, ctx) => {
        const breakLoop = config.variable === undefined || ctx.scope.get(str(config.variable, '')) === config.equals;
        return { output: { break: breakLoop }, ports: ['output'], control: { kind: 'break', breakLoop } };
      },
      { category: 'loop', structure: 'break' },
    ),
    fake(
      'flow_parallel',
      ['output'],
      (config, input) => ({
        output: input,
        ports: ['output'],
        control: { kind: 'parallel', timeoutMs: num(config.timeout_seconds, 300) * 1000 },
      }),
      { category: 'flow' },
    ),
    fake('flow_merge', ['output'], (_config, input) => ({ output: input, ports: ['output'] }), {
      category: 'flow',
      structure: 'join',
      joinInputs: (config) => {
        const value = config.input_ports_required;
        return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : -1;
      },
    }),
    fake(
      'flow_end',
      [],
      (config) => {
        const finalOutput = (config.final_output ?? {}) as Config;
        const failed = config.status === 'failed';
        return {
          output: finalOutput,
          ports: [],
          control: failed
            ? { kind: 'end', status: 'failed', finalOutput, errorMessage: str(config.error_message, 'ended as failed') }
            : { kind: 'end', status: 'completed', finalOutput },
        };
      },
      { category: 'flow', structure: 'end' },
    ),
    fake(
      'action_delay',
      ['output'],
      async (config, _input, ctx) => {
        await ctx.sleep(num(config.delay_ms, 0));
        return { output: { delay_ms: num(config.delay_ms, 0) }, ports: ['output'] };
      },
      { category: 'action', costlyToRepeat: true },
    ),
    fake(
      'action_webhook',
      ['output', 'error'],
      async (config, _input, ctx) => {
        const response = await ctx.http.request({
          url: str(config.url, 'https://example.com/hook'),
          method: str(config.method, 'POST'),
          headers: (config.headers ?? {}) as Record<string, string>,
          body: config.body === undefined ? undefined : JSON.stringify(config.body),
          timeoutMs: 10_000,
          signal: ctx.signal,
        });
        return { output: response, ports: ['output'] };
      },
      { category: 'action', effect: 'external' },
    ),
    fake(
      'action_chat_message',
      ['output', 'error'],
      async (config, _input, ctx) => {
        const result = await ctx.delivery.send(
          'chat_message',
          { message: config.message },
          { timeoutMs: 5000, signal: ctx.signal },
        );
        return { output: { delivered: result.delivered }, ports: ['output'] };
      },
      { category: 'action', effect: 'outbox' },
    ),
    // fail: throws for the first config.times attempts of this node (all attempts by default).
    fake('fail', ['output', 'error'], (config, input, ctx) => {
      const seen = (failures.get(ctx.nodeId) ?? 0) + 1;
      failures.set(ctx.nodeId, seen);
      if (seen <= num(config.times, Number.POSITIVE_INFINITY)) {
        throw new NodeError(str(config.message, `boom ${seen}`), str(config.code, 'BOOM'), {
          retryable: config.retryable === false ? false : undefined,
          retryAfterMs: typeof config.retry_after_ms === 'number' ? config.retry_after_ms : undefined,
        });
      }
      return { output: { attempts: seen, input }, ports: ['output'] };
    }),
    // probe: journals start/end around a real (cancellable) wait of config.delay_ms.
    fake(
      'probe',
      ['output'],
      async (config, input, ctx) => {
        journal.push(`start:${ctx.nodeId}`);
        await ctx.sleep(num(config.delay_ms, 0));
        journal.push(`end:${ctx.nodeId}`);
        return { output: input, ports: ['output'] };
      },
      { category: 'action' },
    ),
    // stuck: never settles and ignores its signal (the engine must not wait for it).
    fake('stuck', ['output'], () => new Promise<never>(() => undefined)),
  ];
  const byType = new Map(list.map((node) => [node.type, node]));
  return { nodeTypes: (type) => byType.get(type), journal };
}
