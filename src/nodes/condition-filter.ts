/**
 * @module nodes/condition-filter
 * Keeps the elements of an array for which the rules hold (each element is `item` while its rules
 * run) and stores them in `output_variable`.
 */
import { type Static, Type } from '@sinclair/typebox';
import { getPath, hasPath } from '../core/paths.ts';
import { evaluateRules, RULE_MATCH_MODES, type ScopeReader } from '../core/rules.ts';
import { type Defaulted, literalUnion, pathProblems, pathString, RuleSchema, rulesProblems } from './common-schemas.ts';
import { evaluationError } from './condition.ts';
import { defineNode, type NodeContext, NodeError } from './node-type.ts';
import { createRenderer } from './render-in-context.ts';

export const ConditionFilterConfigSchema = Type.Object(
  {
    input_array: pathString({ description: 'path of the array to filter' }),
    rules: Type.Array(RuleSchema, { maxItems: 100, description: "rules over 'item', the current element" }),
    match: Type.Optional(literalUnion(RULE_MATCH_MODES, { default: 'all' })),
    output_variable: Type.Optional(pathString({ default: 'filtered_items' })),
  },
  { additionalProperties: false },
);
export type ConditionFilterConfig = Defaulted<Static<typeof ConditionFilterConfigSchema>, 'match' | 'output_variable'>;

/** Reads `item…` paths from the element and everything else from the execution's scope. */
function itemScope(base: ScopeReader, item: unknown): ScopeReader {
  const own = { item };
  const isItemPath = (path: string): boolean => /^\s*item(?=$|[.[\s])/.test(path);
  return {
    get: (path) => (isItemPath(path) ? getPath(own, path) : base.get(path)),
    has: (path) => (isItemPath(path) ? hasPath(own, path) : base.has(path)),
  };
}

function filterItems(config: ConditionFilterConfig, items: readonly unknown[], ctx: NodeContext): unknown[] {
  const templated = JSON.stringify(config.rules.map((rule) => rule.value)).includes('{{');
  const shared = createRenderer(ctx);
  return items.filter((item) => {
    // Rule values may refer to the element too ({{ item.min }}); only then pay for a per-item view.
    const render = templated ? createRenderer(ctx, { item }) : shared;
    return evaluateRules(config, itemScope(ctx.scope, item), render.value);
  });
}

export const conditionFilter = defineNode<ConditionFilterConfig>({
  type: 'condition_filter',
  category: 'condition',
  description: "Keeps the elements of input_array for which the rules hold (the element is 'item').",
  configSchema: ConditionFilterConfigSchema,
  outputSchema: Type.Array(Type.Unknown(), { description: 'the kept elements (also stored in output_variable)' }),
  examples: [
    {
      input_array: 'viewers',
      rules: [{ variable: 'item.minutes', operator: 'greater_than', value: 60 }],
      output_variable: 'regulars',
    },
  ],
  outputPorts: ['output'],
  hasInput: true,
  effect: 'none',
  validateConfig: (config) => [
    ...pathProblems('input_array', config.input_array),
    ...pathProblems('output_variable', config.output_variable),
    ...rulesProblems(config.rules),
  ],
  execute(config, _input, ctx) {
    const items = ctx.scope.get(config.input_array);
    if (!Array.isArray(items)) {
      throw new NodeError(`input_array '${config.input_array}' is not an array`, 'NOT_AN_ARRAY');
    }
    let kept: unknown[];
    try {
      kept = filterItems(config, items, ctx);
    } catch (error) {
      throw evaluationError(error);
    }
    ctx.scope.set(config.output_variable, kept);
    return { output: kept, ports: ['output'] };
  },
});
