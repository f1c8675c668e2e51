/**
 * @module nodes/data-transform
 * Computes variables, each from a JSONata expression (time-limited) or a template. Entries run in
 * order and each sees the variables the previous ones set.
 */
import { type Static, Type } from '@sinclair/typebox';
import { checkExpression, ExpressionError, evaluateExpression, MAX_EXPRESSION_LENGTH } from '../core/expressions.ts';
import { renderTemplate } from '../core/templates.ts';
import { type Defaulted, literalUnion, pathProblems } from './common-schemas.ts';
import { defineNode, NodeError } from './node-type.ts';

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
  outputPorts: ['output', 'error'],
  hasInput: true,
  sideEffect: false,
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
    const results: Record<string, unknown> = {};
    for (const [variable, expression] of Object.entries(config.transformations)) {
      const data = ctx.scope.snapshot();
      let value: unknown;
      if (config.expression_language === 'template') {
        value = renderTemplate(expression, data, (path) => ctx.log(`warning: template variable '${path}' is missing`));
      } else {
        try {
          value = await evaluateExpression(expression, data, { timeoutMs: ctx.limits.expressionTimeoutMs });
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          throw new NodeError(`transformation '${variable}' failed: ${error.message}`, 'EXPRESSION_ERROR');
        }
      }
      // JSONata yields undefined for "no match"; variables hold JSON, so store null.
      ctx.scope.set(variable, value ?? null);
      results[variable] = value ?? null;
    }
    return { output: results, ports: ['output'] };
  },
});
