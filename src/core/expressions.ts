/**
 * @module core/expressions
 * JSONata with limits. JSONata is a query language interpreted by the `jsonata` library, not
 * JavaScript: it can reach only the data it is given and the functions registered on it, and we
 * register none. Each evaluation has a time limit, a depth limit and a sequence-length limit
 * (jsonata's own guardrails, checked on every evaluation step), and regex literals run on re2js.
 */
import jsonata from 'jsonata';
import { compileRegex } from './rules.ts';

export const DEFAULT_EXPRESSION_TIMEOUT_MS = 1000;
export const MAX_EXPRESSION_LENGTH = 10_000;
/** Nested evaluation steps; deep enough for real queries, far from the JS stack limit. */
export const MAX_EXPRESSION_DEPTH = 500;
/** Longest sequence an expression may build (`[1..10000000]` is refused, not allocated). */
export const MAX_SEQUENCE_LENGTH = 1_000_000;
const MAX_RESULT_DEPTH = 200;
const CACHE_LIMIT = 500;

export interface ExpressionOptions {
  readonly timeoutMs?: number;
}

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

interface JsonataFailure {
  readonly code?: string;
  readonly message?: string;
  readonly position?: number;
  readonly token?: string;
}

const compiled = new Map<string, jsonata.Expression>();
const checked = new Map<string, string | null>();

/** Null when `source` is a valid expression, else a message saying what is wrong and where. */
export function checkExpression(source: string): string | null {
  const known = checked.get(source);
  if (known !== undefined) return known;
  let problem: string | null = null;
  try {
    compile(source, DEFAULT_EXPRESSION_TIMEOUT_MS);
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXPRESSION_TIMEOUT_MS;
  const expression = compile(source, timeoutMs);
  let result: unknown;
  try {
    result = await expression.evaluate(data);
  } catch (error) {
    throw toExpressionError(error, timeoutMs);
  }
  return toPlain(result, 0);
}

function compile(source: string, timeoutMs: number): jsonata.Expression {
  const key = `${timeoutMs}\u0000${source}`;
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
      timeout: timeoutMs,
      stack: MAX_EXPRESSION_DEPTH,
      sequence: MAX_SEQUENCE_LENGTH,
      RegexEngine: LinearRegExp as unknown as RegExpConstructor,
    });
  } catch (error) {
    throw toExpressionError(error, timeoutMs);
  }
  checkRegexLiterals(expression.ast());
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

function toExpressionError(error: unknown, timeoutMs: number): ExpressionError {
  if (error instanceof ExpressionError) return error;
  const failure = (error ?? {}) as JsonataFailure;
  const code = failure.code ?? 'ERROR';
  if (error instanceof Error && failure.code === undefined) return new ExpressionError(error.message, code);
  if (code === 'D1012') return new ExpressionError(`expression timed out after ${timeoutMs} ms`, 'TIMEOUT');
  if (code === 'D1011') {
    return new ExpressionError(
      `expression nested deeper than ${MAX_EXPRESSION_DEPTH} steps (runaway recursion?)`,
      'TOO_DEEP',
    );
  }
  if (code === 'D2014' || code === 'D2015') {
    return new ExpressionError(`expression built a sequence longer than ${MAX_SEQUENCE_LENGTH} items`, 'TOO_LONG');
  }
  const where = typeof failure.position === 'number' ? ` at position ${failure.position}` : '';
  return new ExpressionError(`JSONata error ${code}${where}: ${failure.message ?? String(error)}`, code);
}

/** Drops jsonata's sequence markers and functions so results store and compare as plain data. */
function toPlain(value: unknown, depth: number): unknown {
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  // Lambdas and native functions are objects in jsonata, and they hold their (cyclic) environment.
  if ('_jsonata_lambda' in value || '_jsonata_function' in value) return undefined;
  if (depth > MAX_RESULT_DEPTH) throw new ExpressionError('expression result is nested too deeply', 'TOO_DEEP');
  if (Array.isArray(value)) return value.map((item) => toPlain(item, depth + 1) ?? null);
  const entries: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const plain = toPlain(item, depth + 1);
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
