/**
 * @module nodes/loop-foreach
 * Runs the body (what hangs off `loop`) once per element, then continues at `done`. The node only
 * resolves the array; the engine runs the iterations and enforces the limits.
 */
import { type Static, Type } from '@sinclair/typebox';
import { type Defaulted, pathProblems, pathString } from './common-schemas.ts';
import { defineNode, NodeError } from './node-type.ts';

export const LoopForeachConfigSchema = Type.Object(
  {
    array_variable: pathString({ description: 'path of the array to iterate' }),
    item_variable: Type.Optional(pathString({ default: 'item' })),
    index_variable: Type.Optional(pathString({ default: 'index' })),
    max_iterations: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 })),
  },
  { additionalProperties: false },
);
export type LoopForeachConfig = Defaulted<
  Static<typeof LoopForeachConfigSchema>,
  'item_variable' | 'index_variable' | 'max_iterations'
>;

export const loopForeach = defineNode<LoopForeachConfig>({
  type: 'loop_foreach',
  category: 'loop',
  description: "Runs the branch on 'loop' once per element of array_variable, then continues on 'done'.",
  configSchema: LoopForeachConfigSchema,
  outputSchema: Type.Object({ count: Type.Integer({ description: 'how many items the loop ran over' }) }),
  examples: [{ array_variable: 'viewers', item_variable: 'viewer' }],
  outputPorts: ['loop', 'done'],
  hasInput: true,
  effect: 'none',
  structure: 'loop',
  validateConfig: (config) => [
    ...pathProblems('array_variable', config.array_variable),
    ...pathProblems('item_variable', config.item_variable),
    ...pathProblems('index_variable', config.index_variable),
  ],
  execute(config, _input, ctx) {
    const items = ctx.scope.get(config.array_variable);
    if (!Array.isArray(items)) {
      const got = items === undefined ? 'missing' : items === null ? 'null' : typeof items;
      throw new NodeError(`array_variable '${config.array_variable}' is not an array (${got})`, 'NOT_AN_ARRAY');
    }
    return {
      output: { count: items.length },
      ports: [],
      control: {
        kind: 'foreach',
        items,
        itemVariable: config.item_variable,
        indexVariable: config.index_variable,
        maxIterations: Math.min(config.max_iterations, ctx.limits.maxLoopIterations),
      },
    };
  },
});
