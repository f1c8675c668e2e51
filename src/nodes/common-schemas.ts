/**
 * @module nodes/common-schemas
 * Schema pieces several node types share (paths, enums, rules) and the checks JSON Schema cannot
 * express about them. Config types use `Defaulted` because the registry fills schema defaults
 * before any executor sees a config.
 */
import { type SchemaOptions, type TLiteral, type TUnion, Type } from '@sinclair/typebox';
import { tryParsePath } from '../core/paths.ts';
import { RULE_OPERATORS, type Rule, regexProblem } from '../core/rules.ts';
import { hasTemplate } from '../core/templates.ts';

/** A config type whose defaulted fields are always present. */
export type Defaulted<T, K extends keyof T> = Omit<T, K> & { readonly [P in K]-?: Exclude<T[P], undefined> };

/** A JSON Schema `anyOf` of string constants (TypeBox's checker validates it without codegen). */
export function literalUnion<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((value: T[number]) => Type.Literal(value)),
    options,
  );
}

/** A variable path (`user.name`, `items[0].id`); syntax is checked by `pathProblems`. */
export function pathString(options: SchemaOptions = {}) {
  return Type.String({ minLength: 1, maxLength: 256, ...options });
}

export const RuleSchema = Type.Object(
  {
    variable: pathString({ description: 'path of the variable to test' }),
    operator: literalUnion(RULE_OPERATORS),
    value: Type.Optional(Type.Unknown({ description: 'compared value; strings may be templates' })),
  },
  { additionalProperties: false },
);

/** Messages for a path field that does not parse (or names a forbidden segment). */
export function pathProblems(field: string, path: string | undefined): string[] {
  if (path === undefined || tryParsePath(path)) return [];
  return [`config field '${field}': '${path}' is not a valid variable path`];
}

/** Variable paths and literal regexes of a rule list; templated patterns are checked when they run. */
export function rulesProblems(rules: readonly Rule[] | undefined, field = 'rules'): string[] {
  const problems: string[] = [];
  (rules ?? []).forEach((rule, index) => {
    const where = `${field}[${index}]`;
    problems.push(...pathProblems(`${where}.variable`, rule.variable));
    if (rule.operator !== 'matches_regex') return;
    if (typeof rule.value !== 'string') {
      problems.push(`config field '${where}.value': matches_regex needs a pattern string`);
      return;
    }
    if (hasTemplate(rule.value)) return;
    const problem = regexProblem(rule.value);
    if (problem) problems.push(`config field '${where}.value': ${problem}`);
  });
  return problems;
}
