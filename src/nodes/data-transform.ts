/**
 * @module nodes/data-transform
 * Computes variables, each from a JSONata expression (time-limited) or a template. Entries run in
 * order and each sees the variables the previous ones set.
 */
import { type Static, Type } from '@sinclair/typebox';
import { ExpressionError, MAX_EXPRESSION_LENGTH } from '../core/expression-limits.ts';
import { checkExpression } from '../core/expressions.ts';
import { renderTemplate } from '../core/templates.ts';
import { type Defaulted, literalUnion, pathProblems } from './common-schemas.ts';
import { evaluationError } from './condition.ts';
import { defineNode } from './node-type.ts';

export const EXPRESSION_LANGUAGES = ['jsonata', 'template'] as const;

export const DataTransformConfigSchema = Type.Object(
  {
    transformations: Type.Record(
      Type.String({ minLength: 1, maxLength: 256 }),
      Type.String({ maxLength: MAX_EXPRESSION_LENGTH }),
      { minProperties: 1, maxProperties: 100, description: 'variable → expression' },
    ),
    expression_language: Type.Optional(literalUnion(EXPRESSION_LANGUAGES, { default: 'jsonata' })),
  },
  { additionalProperties: false },
);
export type DataTransformConfig = Defaulted<Static<typeof DataTransformConfigSchema>, 'expression_language'>;

export const dataTransform = defineNode<DataTransformConfig>({
  type: 'data_transform',
  category: 'data',
  description: 'Sets each variable to the result of a JSONata expression (or a template).',
  configSchema: DataTransformConfigSchema,
  outputSchema: Type.Record(Type.String(), Type.Unknown(), {
    description: 'each transformed variable and its new value',
  }),
  examples: [
    { transformations: { shout: '$uppercase(message)' } },
    { transformations: { line: 'Hi {{ username }}' }, expression_language: 'template' },
  ],
  outputPorts: ['output', 'error'],
  hasInput: true,
  effect: 'none',
  validateConfig(config) {
    const problems: string[] = [];
    for (const [variable, expression] of Object.entries(config.transformations)) {
      problems.push(...pathProblems(`transformations.${variable}`, variable));
      if (config.expression_language !== 'jsonata') continue;
      const problem = checkExpression(expression);
      if (problem) problems.push(`config field 'transformations.${variable}': ${problem}`);
    }
    return problems;
  },
  async execute(config, _input, ctx) {
    const entries = Object.entries(config.transformations);
    let values: unknown[];
    if (config.expression_language === 'template') {
      const warn = (path: string) => ctx.log(`warning: template variable '${path}' is missing`);
      values = entries.map(([variable, expression]) => {
        const value = renderTemplate(expression, ctx.scope.snapshot(), warn);
        ctx.scope.set(variable, value ?? null);
        return value;
      });
    } else {
      // One batch, one budget: the worker sets each variable before the next expression runs.
      const steps = entries.map(([variable, expression]) => ({ variable, expression }));
      try {
        values = await ctx.expressions.evaluate(steps, ctx.scope.snapshot(), {
          timeoutMs: ctx.limits.expressionTimeoutMs,
          signal: ctx.signal,
        });
      } catch (error) {
        const step = error instanceof ExpressionError && error.step !== undefined ? entries[error.step] : undefined;
        // Without a step the worker was ended (deadline, memory) somewhere in the batch.
        throw evaluationError(error, step ? `transformation '${step[0]}'` : 'transformations');
      }
      for (const [index, [variable]] of entries.entries()) ctx.scope.set(variable, values[index] ?? null);
    }
    // JSONata yields undefined for "no match"; variables hold JSON, so store null.
    const results: Record<string, unknown> = {};
    entries.forEach(([variable], index) => {
      results[variable] = values[index] ?? null;
    });
    return { output: results, ports: ['output'] };
  },
});
