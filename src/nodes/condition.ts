/**
 * @module nodes/condition
 * The condition shared by condition_if, loop_while and loop_break: a rule list with `match`, or a
 * JSONata `expression` (which wins when both are given).
 */
import { Type } from '@sinclair/typebox';
import {
  checkExpression,
  ExpressionError,
  evaluateExpression,
  isTruthy,
  MAX_EXPRESSION_LENGTH,
} from '../core/expressions.ts';
import {
  evaluateRules,
  RULE_MATCH_MODES,
  type Rule,
  RuleError,
  type RuleMatch,
  type ScopeReader,
} from '../core/rules.ts';
import { literalUnion, RuleSchema, rulesProblems } from './common-schemas.ts';
import { type NodeContext, NodeError } from './node-type.ts';
import { createRenderer } from './render-in-context.ts';

export const conditionFields = {
  rules: Type.Optional(Type.Array(RuleSchema, { maxItems: 100 })),
  match: Type.Optional(literalUnion(RULE_MATCH_MODES, { default: 'all' })),
  expression: Type.Optional(
    Type.String({ minLength: 1, maxLength: MAX_EXPRESSION_LENGTH, description: 'JSONata, read as a boolean' }),
  ),
};

export interface ConditionConfig {
  readonly rules?: readonly Rule[];
  readonly match?: RuleMatch;
  readonly expression?: string;
}

export function hasCondition(config: ConditionConfig): boolean {
  return config.expression !== undefined || (config.rules ?? []).length > 0;
}

/** `required`: the node means nothing without a condition (condition_if, loop_while). */
export function conditionProblems(config: ConditionConfig, required: boolean): string[] {
  const problems = rulesProblems(config.rules);
  if (config.expression !== undefined) {
    const problem = checkExpression(config.expression);
    if (problem) problems.push(`config field 'expression': ${problem}`);
  }
  if (required && !hasCondition(config)) problems.push("config needs 'rules' or an 'expression'");
  return problems;
}

/** Evaluates against the execution's variables, or `reader` for rule variables when given. */
export async function evaluateCondition(
  config: ConditionConfig,
  ctx: NodeContext,
  reader?: ScopeReader,
): Promise<boolean> {
  const render = createRenderer(ctx);
  try {
    if (config.expression !== undefined) {
      const result = await evaluateExpression(config.expression, render.data(), {
        timeoutMs: ctx.limits.expressionTimeoutMs,
      });
      return isTruthy(result);
    }
    return evaluateRules(config, reader ?? ctx.scope, render.value);
  } catch (error) {
    throw evaluationError(error);
  }
}

/** Expression and rule failures as NodeErrors (not retryable: the same input fails the same way). */
export function evaluationError(error: unknown): unknown {
  if (error instanceof ExpressionError) return new NodeError(`expression failed: ${error.message}`, 'EXPRESSION_ERROR');
  if (error instanceof RuleError) return new NodeError(error.message, 'RULE_ERROR');
  return error;
}
