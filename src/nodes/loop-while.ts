/**
 * @module nodes/loop-while
 * Runs the body while its condition holds. The engine re-runs this node before each iteration and
 * reads `proceed`; the node only evaluates the condition.
 */
import { type Static, Type } from '@sinclair/typebox';
import { type ConditionConfig, conditionFields, conditionProblems, evaluateCondition } from './condition.ts';
import { defineNode } from './node-type.ts';

export const LoopWhileConfigSchema = Type.Object(
  {
    ...conditionFields,
    max_iterations: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 })),
  },
  { additionalProperties: false },
);
export type LoopWhileConfig = ConditionConfig & Required<Pick<Static<typeof LoopWhileConfigSchema>, 'max_iterations'>>;

export const loopWhile = defineNode<LoopWhileConfig>({
  type: 'loop_while',
  category: 'loop',
  description: "Runs the branch on 'loop' while the rules or expression hold, then continues on 'done'.",
  configSchema: LoopWhileConfigSchema,
  outputSchema: Type.Object({ proceed: Type.Boolean({ description: 'whether the body runs again' }) }),
  examples: [{ rules: [{ variable: 'count', operator: 'less_than', value: 3 }], max_iterations: 10 }],
  outputPorts: ['loop', 'done'],
  hasInput: true,
  effect: 'none',
  structure: 'loop',
  validateConfig: (config) => conditionProblems(config, true),
  async execute(config, _input, ctx) {
    const proceed = await evaluateCondition(config, ctx);
    return {
      output: { proceed },
      ports: [],
      control: { kind: 'while', proceed, maxIterations: Math.min(config.max_iterations, ctx.limits.maxLoopIterations) },
    };
  },
});
