/**
 * @module core/expressions
 * JSONata with limits. JSONata is a query language interpreted by the `jsonata` library, not
 * JavaScript: it can reach only the data it is given and the functions registered on it (we
 * register only bounded versions of `$split` and `$length`). Each node run's expressions share a
 * time budget; depth, sequence length and value size are checked on every evaluation step, and
 * regex literals run on re2js. In the service this runs inside the worker pool (src/expressions),
 * which adds what no in-thread check can: a memory cap and a deadline enforced by termination.
 * The limits and their errors are expression-limits.ts; the in-evaluation checks expression-guards.ts.
 */
import jsonata from 'jsonata';
import {
  afterStep,
  boundedJoin,
  boundedPad,
  boundedSplit,
  codePointLength,
  GUARD_BINDING,
  type Guard,
} from './expression-guards.ts';
import {
  DEFAULT_EXPRESSION_LIMITS,
  DEFAULT_EXPRESSION_TIMEOUT_MS,
  ExpressionError,
  type ExpressionLimits,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  MAX_SEQUENCE_LENGTH,
  resultLimit,
  sequenceLimit,
  toExpressionError,
} from './expression-limits.ts';
import { setPath } from './paths.ts';
import { compileRegex } from './rules.ts';

const MAX_RESULT_DEPTH = 200;
const CACHE_LIMIT = 500;

export interface ExpressionOptions {
  readonly timeoutMs?: number;
}

/** One expression of a node run; its result is set as `variable` before the next step runs. */
export interface ExpressionStep {
  readonly expression: string;
  readonly variable?: string;
}

const compiled = new Map<string, jsonata.Expression>();
const checked = new Map<string, string | null>();

/** Null when `source` is a valid expression, else a message saying what is wrong and where. */
export function checkExpression(source: string): string | null {
  const known = checked.get(source);
  if (known !== undefined) return known;
  let problem: string | null = null;
  try {
    compile(source, MAX_SEQUENCE_LENGTH);
  } catch (error) {
    problem = (error as Error).message;
  }
  remember(checked, source, problem);
  return problem;
}

/** Evaluates `source` against `data`; the result is plain JSON-like data (functions dropped). */
export async function evaluateExpression(
  source: string,
  data: unknown,
  options: ExpressionOptions = {},
): Promise<unknown> {
  const limits = { ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: options.timeoutMs ?? DEFAULT_EXPRESSION_TIMEOUT_MS };
  const [result] = await evaluateSteps([{ expression: source }], data, limits);
  return result;
}

/**
 * Evaluates the steps in order within one time budget; each step with a `variable` sets it (in
 * `data`, which is changed) for the steps after it. Results are plain data, `undefined` for "no
 * match". This is the evaluation the worker pool runs: the time check here is a courtesy that
 * ends a slow expression cleanly, the pool's deadline is the hard one.
 */
export async function evaluateSteps(
  steps: readonly ExpressionStep[],
  data: unknown,
  limits: ExpressionLimits,
): Promise<unknown[]> {
  const guard: Guard = { deadline: Date.now() + limits.timeoutMs, limits };
  const bindings = { [GUARD_BINDING]: guard };
  const results: unknown[] = [];
  for (const [index, step] of steps.entries()) {
    let plain: unknown;
    try {
      const result = await compile(step.expression, limits.maxSequenceLength).evaluate(data, bindings);
      plain = toPlain(result, 0, { left: limits.maxResultBytes }, limits);
    } catch (error) {
      const failure = toExpressionError(error, limits);
      throw new ExpressionError(failure.message, failure.code, failure.limit, index);
    }
    results.push(plain);
    if (step.variable !== undefined) setPath(data as Record<string, unknown>, step.variable, plain ?? null);
  }
  return results;
}

function compile(source: string, maxSequenceLength: number): jsonata.Expression {
  const key = `${maxSequenceLength}\u0000${source}`;
  const cached = compiled.get(key);
  if (cached) {
    compiled.delete(key);
    compiled.set(key, cached);
    return cached;
  }
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, 'TOO_LONG');
  }
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source, {
      stack: MAX_EXPRESSION_DEPTH,
      sequence: maxSequenceLength,
      RegexEngine: LinearRegExp as unknown as RegExpConstructor,
    });
  } catch (error) {
    throw toExpressionError(error, DEFAULT_EXPRESSION_LIMITS);
  }
  checkRegexLiterals(expression.ast());
  // jsonata calls this after every evaluation step: the budget and the size caps apply inside
  // loops and recursion too, not only to the final result.
  expression.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, afterStep);
  expression.registerFunction('split', boundedSplit, '<s-(sf)n?:a<s>>');
  expression.registerFunction('pad', boundedPad, '<s-ns?:s>');
  expression.registerFunction('join', boundedJoin, '<a<s>s?:s>');
  expression.registerFunction('length', codePointLength, '<s-:n>');
  remember(compiled, key, expression);
  return expression;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

/** Regex literals are compiled by RE2 at evaluation; report the ones it cannot run up front. */
function checkRegexLiterals(node: unknown, depth = 0): void {
  if (node === null || typeof node !== 'object' || depth > MAX_RESULT_DEPTH) return;
  if (node instanceof RegExp) {
    try {
      compileRegex(node.source, node.flags);
    } catch (error) {
      throw new ExpressionError(`regex /${node.source}/ cannot be used: ${(error as Error).message}`, 'BAD_REGEX');
    }
    return;
  }
  for (const child of Object.values(node)) checkRegexLiterals(child, depth + 1);
}

/**
 * Drops jsonata's sequence markers and functions so results store and compare as plain data,
 * counting the approximate JSON size against the result cap on the way.
 */
function toPlain(value: unknown, depth: number, budget: { left: number }, limits: ExpressionLimits): unknown {
  if (typeof value === 'function') return undefined;
  if (typeof value === 'string') budget.left -= value.length + 2;
  else budget.left -= 8;
  if (budget.left < 0) throw resultLimit(limits);
  if (value === null || typeof value !== 'object') return value;
  // Lambdas and native functions are objects in jsonata, and they hold their (cyclic) environment.
  if ('_jsonata_lambda' in value || '_jsonata_function' in value) return undefined;
  if (depth > MAX_RESULT_DEPTH) {
    throw new ExpressionError(
      `expression limit 'depth' hit: the result nests deeper than ${MAX_RESULT_DEPTH} levels`,
      'TOO_DEEP',
      'depth',
    );
  }
  if (Array.isArray(value)) {
    if (value.length > limits.maxSequenceLength) throw sequenceLimit(limits);
    return value.map((item) => toPlain(item, depth + 1, budget, limits) ?? null);
  }
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    budget.left -= key.length + 4;
    const plain = toPlain(item, depth + 1, budget, limits);
    if (plain !== undefined) entries.push([key, plain]);
  }
  return Object.fromEntries(entries);
}

/** JSONata's boolean cast ($boolean): how a condition expression's result is read. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isTruthy);
  if (value === null || value === undefined) return false;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return value === true;
}

/**
 * The RegExp subset jsonata uses (`lastIndex`, `exec`), backed by re2js so that `$match`,
 * `$replace`, `$split` and `$contains` with a regex run in linear time.
 */
class LinearRegExp {
  lastIndex = 0;
  readonly #regex;

  constructor(pattern: RegExp | string, flags?: string) {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    this.#regex = compileRegex(source, flags ?? (typeof pattern === 'string' ? '' : pattern.flags));
  }

  exec(input: string): RegExpExecArray | null {
    if (this.lastIndex > input.length) {
      this.lastIndex = 0;
      return null;
    }
    const matcher = this.#regex.matcher(input);
    if (!matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const match: (string | undefined)[] = [];
    for (let group = 0; group <= matcher.groupCount(); group += 1) match.push(matcher.group(group) ?? undefined);
    this.lastIndex = matcher.end();
    return Object.assign(match, { index: matcher.start(), input }) as unknown as RegExpExecArray;
  }

  test(input: string): boolean {
    return this.exec(input) !== null;
  }
}
