/**
 * @module nodes/condition
 * The condition shared by condition_if, loop_while and loop_break: a rule list with `match`, or a
 * JSONata `expression` (which wins when both are given).
 */
import { Type } from '@sinclair/typebox';
import { ExpressionError, MAX_EXPRESSION_LENGTH } from '../core/expression-limits.ts';
import { checkExpression, isTruthy } from '../core/expressions.ts';
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
      const [result] = await ctx.expressions.evaluate([{ expression: config.expression }], render.data(), {
        timeoutMs: ctx.limits.expressionTimeoutMs,
        signal: ctx.signal,
      });
      return isTruthy(result);
    }
    // Rules are plain comparisons in this thread: they never go through the expression pool.
    return evaluateRules(config, reader ?? ctx.scope, render.value);
  } catch (error) {
    throw evaluationError(error);
  }
}

/**
 * Expression and rule failures as NodeErrors. A limit hit is EXPRESSION_LIMIT and never retried
 * (the same input hits it again); `what` says which expression it was.
 */
export function evaluationError(error: unknown, what = 'expression'): unknown {
  if (error instanceof ExpressionError) {
    if (error.limit)
      return new NodeError(`${what} stopped: ${error.message}`, 'EXPRESSION_LIMIT', { retryable: false });
    return new NodeError(`${what} failed: ${error.message}`, 'EXPRESSION_ERROR');
  }
  if (error instanceof RuleError) return new NodeError(error.message, 'RULE_ERROR');
  return error;
}
