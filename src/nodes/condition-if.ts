/**
 * @module nodes/condition-if
 * Routes the token to `true` or `false` by a rule list or a JSONata expression.
 */
import { Type } from '@sinclair/typebox';
import { type ConditionConfig, conditionFields, conditionProblems, evaluateCondition } from './condition.ts';
import { defineNode } from './node-type.ts';

export const ConditionIfConfigSchema = Type.Object(conditionFields, { additionalProperties: false });

export const conditionIf = defineNode<ConditionConfig>({
  type: 'condition_if',
  category: 'condition',
  description: "Continues on 'true' when the rules (all or any) or the expression hold, else on 'false'.",
  configSchema: ConditionIfConfigSchema,
  outputSchema: Type.Object({ result: Type.Boolean() }),
  examples: [
    { rules: [{ variable: 'user.is_mod', operator: 'equals', value: true }] },
    { expression: 'args[0] = "on"' },
  ],
  outputPorts: ['true', 'false'],
  hasInput: true,
  effect: 'none',
  validateConfig: (config) => conditionProblems(config, true),
  async execute(config, _input, ctx) {
    const result = await evaluateCondition(config, ctx);
    return { output: { result }, ports: [result ? 'true' : 'false'] };
  },
});
