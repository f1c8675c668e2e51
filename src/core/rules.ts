/**
 * @module core/rules
 * Condition rules `{variable, operator, value}` and rule lists (`match: all | any`), used by
 * condition_if, condition_filter, loop_while and loop_break. Regexes run on re2js, a linear-time
 * engine, so no pattern a user writes can backtrack catastrophically.
 */
import { RE2JS } from 're2js';
import { stringifyValue } from './templates.ts';

export const RULE_OPERATORS = [
  'equals',
  'not_equals',
  'greater_than',
  'less_than',
  'greater_equal',
  'less_equal',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'matches_regex',
  'in_list',
  'not_in_list',
  'is_empty',
  'is_not_empty',
  'exists',
] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export const RULE_MATCH_MODES = ['all', 'any'] as const;
export type RuleMatch = (typeof RULE_MATCH_MODES)[number];

export interface Rule {
  readonly variable: string;
  readonly operator: RuleOperator;
  readonly value?: unknown;
}
export interface RuleSet {
  readonly rules?: readonly Rule[];
  readonly match?: RuleMatch;
}
/** What rules read variables from; VariableScope fits. */
export interface ScopeReader {
  get(path: string): unknown;
  has(path: string): boolean;
}
/** Renders a rule's `value` (templates) before comparing. */
export type RenderValue = (value: unknown) => unknown;

/** A rule that cannot be evaluated (a bad regex arriving through a template). */
export class RuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleError';
  }
}

/** `all` of an empty list holds and `any` of an empty list does not, as in logic. */
export function evaluateRules(set: RuleSet, scope: ScopeReader, render: RenderValue = identity): boolean {
  const rules = set.rules ?? [];
  if (set.match === 'any') return rules.some((rule) => evaluateRule(rule, scope, render));
  return rules.every((rule) => evaluateRule(rule, scope, render));
}

export function evaluateRule(rule: Rule, scope: ScopeReader, render: RenderValue = identity): boolean {
  if (rule.operator === 'exists') return scope.has(rule.variable) && scope.get(rule.variable) !== undefined;
  const actual = scope.get(rule.variable);
  if (rule.operator === 'is_empty') return isEmpty(actual);
  if (rule.operator === 'is_not_empty') return !isEmpty(actual);
  return compare(rule.operator, actual, render(rule.value));
}

function compare(operator: RuleOperator, actual: unknown, expected: unknown): boolean {
  switch (operator) {
    case 'equals':
      return looseEquals(actual, expected);
    case 'not_equals':
      return !looseEquals(actual, expected);
    case 'greater_than':
      return compareNumbers(actual, expected, (a, b) => a > b);
    case 'less_than':
      return compareNumbers(actual, expected, (a, b) => a < b);
    case 'greater_equal':
      return compareNumbers(actual, expected, (a, b) => a >= b);
    case 'less_equal':
      return compareNumbers(actual, expected, (a, b) => a <= b);
    case 'contains':
      return contains(actual, expected);
    case 'not_contains':
      return !contains(actual, expected);
    case 'starts_with':
      return isText(actual) && isText(expected) && String(actual).startsWith(String(expected));
    case 'ends_with':
      return isText(actual) && isText(expected) && String(actual).endsWith(String(expected));
    case 'matches_regex':
      return isText(actual) && typeof expected === 'string' && compileRegex(expected).test(String(actual));
    case 'in_list':
      return toList(expected).some((item) => looseEquals(actual, item));
    case 'not_in_list':
      return !toList(expected).some((item) => looseEquals(actual, item));
    default:
      return false;
  }
}

/** Numbers and numeric strings ('42', ' 3.5 ') become numbers; anything else is NaN. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function compareNumbers(actual: unknown, expected: unknown, test: (a: number, b: number) => boolean): boolean {
  const a = toNumber(actual);
  const b = toNumber(expected);
  return !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
}

/**
 * Chat data arrives as text, so `5` equals `'5'` and `true` equals `'true'`; numbers compare by value
 * when either side is a number (`5` equals `'5.0'`); objects and arrays compare structurally.
 */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const aObject = a !== null && typeof a === 'object';
  const bObject = b !== null && typeof b === 'object';
  if (aObject || bObject) return aObject && bObject && canonicalJson(a) === canonicalJson(b);
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x === y;
  }
  return String(a) === String(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : item,
  );
}

function isText(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (Array.isArray(haystack)) return haystack.some((item) => looseEquals(item, needle));
  if (needle === undefined || needle === null) return false;
  if (typeof haystack === 'string' || typeof haystack === 'number') {
    return String(haystack).includes(stringifyValue(needle));
  }
  if (haystack !== null && typeof haystack === 'object') return Object.hasOwn(haystack, String(needle));
  return false;
}

/** A list is an array or a comma-separated string (items trimmed). */
function toList(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.split(',').map((item) => item.trim());
  return value === undefined ? [] : [value];
}

/** Missing, null, '', [] and {} are empty; 0 and false are values. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function identity(value: unknown): unknown {
  return value;
}

// ---- linear-time regexes ----

export const MAX_REGEX_LENGTH = 1000;
const REGEX_CACHE_LIMIT = 256;
const regexCache = new Map<string, RE2JS>();

/**
 * Compiles a JavaScript-style pattern (flags i, m, s) with re2js; the most recently used patterns
 * stay compiled. Throws RuleError for patterns RE2 cannot run (backreferences, lookarounds) or
 * that are too long.
 */
export function compileRegex(pattern: string, flags = ''): RE2JS {
  const key = `${flags}/${pattern}`;
  const cached = regexCache.get(key);
  if (cached) {
    regexCache.delete(key);
    regexCache.set(key, cached);
    return cached;
  }
  if (pattern.length > MAX_REGEX_LENGTH) throw new RuleError(`regex is longer than ${MAX_REGEX_LENGTH} characters`);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(RE2JS.translateRegExp(pattern), regexFlags(flags));
  } catch (error) {
    throw new RuleError(`invalid regex /${pattern}/: ${(error as Error).message}`);
  }
  if (regexCache.size >= REGEX_CACHE_LIMIT) regexCache.delete(regexCache.keys().next().value as string);
  regexCache.set(key, compiled);
  return compiled;
}

/** Null when the pattern compiles, else why not. */
export function regexProblem(pattern: string, flags = ''): string | null {
  try {
    compileRegex(pattern, flags);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function regexFlags(flags: string): number {
  let result = 0;
  for (const flag of flags) {
    if (flag === 'i') result |= RE2JS.CASE_INSENSITIVE;
    else if (flag === 'm') result |= RE2JS.MULTILINE;
    else if (flag === 's') result |= RE2JS.DOTALL;
    else if (flag !== 'g' && flag !== 'u') throw new RuleError(`unsupported regex flag '${flag}'`);
  }
  return result;
}
