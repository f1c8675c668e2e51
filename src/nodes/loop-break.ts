/**
 * @module nodes/loop-break
 * Ends the innermost loop when its optional condition holds (always, without one); the loop then
 * continues at its `done` port. The engine owns the jump.
 */
import { Type } from '@sinclair/typebox';
import {
  type ConditionConfig,
  conditionFields,
  conditionProblems,
  evaluateCondition,
  hasCondition,
} from './condition.ts';
import { defineNode } from './node-type.ts';

export const LoopBreakConfigSchema = Type.Object(conditionFields, { additionalProperties: false });

export const loopBreak = defineNode<ConditionConfig>({
  type: 'loop_break',
  category: 'loop',
  description: "Ends the innermost loop (which continues on 'done') when its rules hold, or always without rules.",
  configSchema: LoopBreakConfigSchema,
  outputSchema: Type.Object({ break: Type.Boolean({ description: 'whether the loop was left' }) }),
  examples: [{ rules: [{ variable: 'found', operator: 'equals', value: true }] }, {}],
  outputPorts: ['output'],
  hasInput: true,
  effect: 'none',
  structure: 'break',
  validateConfig: (config) => conditionProblems(config, false),
  async execute(config, _input, ctx) {
    const breakLoop = hasCondition(config) ? await evaluateCondition(config, ctx) : true;
    return { output: { break: breakLoop }, ports: ['output'], control: { kind: 'break', breakLoop } };
  },
});
