/**
 * @module core/expressions
 * JSONata with limits. JSONata is a query language interpreted by the `jsonata` library, not
 * JavaScript: it can reach only the data it is given and the functions registered on it (we
 * register only bounded versions of `$split` and `$length`). Each node run's expressions share a
 * time budget; depth, sequence length and value size are checked on every evaluation step, and
 * regex literals run on re2js. In the service this runs inside the worker pool (src/expressions),
 * which adds what no in-thread check can: a memory cap and a deadline enforced by termination.
 */
import jsonata from 'jsonata';
import { setPath } from './paths.ts';
import { compileRegex } from './rules.ts';

export const DEFAULT_EXPRESSION_TIMEOUT_MS = 1000;
export const MAX_EXPRESSION_LENGTH = 10_000;
/** Nested evaluation steps; deep enough for real queries, far from the JS stack limit. */
export const MAX_EXPRESSION_DEPTH = 500;
/** Longest sequence an expression may build (`[1..10000000]` is refused, not allocated). */
export const MAX_SEQUENCE_LENGTH = 1_000_000;
export const DEFAULT_MAX_RESULT_BYTES = 1024 * 1024;
const MAX_RESULT_DEPTH = 200;
const CACHE_LIMIT = 500;

/** What bounds the expressions of one node run (EXPRESSION_* variables). */
export interface ExpressionLimits {
  /** One budget for every expression of the node run. */
  readonly timeoutMs: number;
  readonly maxSequenceLength: number;
  /** Approximate JSON size of one result; also the longest string any step may build. */
  readonly maxResultBytes: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = Object.freeze({
  timeoutMs: DEFAULT_EXPRESSION_TIMEOUT_MS,
  maxSequenceLength: MAX_SEQUENCE_LENGTH,
  maxResultBytes: DEFAULT_MAX_RESULT_BYTES,
});

export const EXPRESSION_LIMIT_NAMES = ['time', 'memory', 'sequence_length', 'result_size', 'depth'] as const;
export type ExpressionLimitName = (typeof EXPRESSION_LIMIT_NAMES)[number];

export interface ExpressionOptions {
  readonly timeoutMs?: number;
}

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** Set when a limit stopped the expression (EXPRESSION_LIMIT), not a mistake in it. */
    readonly limit?: ExpressionLimitName,
    /** Index of the step (of a batch) that failed, when known. */
    readonly step?: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

/** One expression of a node run; its result is set as `variable` before the next step runs. */
export interface ExpressionStep {
  readonly expression: string;
  readonly variable?: string;
}

interface JsonataFailure {
  readonly code?: string;
  readonly message?: string;
  readonly position?: number;
  readonly token?: string;
}

/** Per-evaluation bounds, read by the exit hook through the evaluation's own bindings. */
interface Guard {
  readonly deadline: number;
  readonly limits: ExpressionLimits;
}

interface JsonataFrame {
  readonly base: { lookup(name: string): unknown };
}

const GUARD_BINDING = '__wfc_guard';
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

function afterStep(_expr: unknown, _input: unknown, frame: JsonataFrame, result: unknown): void {
  const guard = frame.base.lookup(GUARD_BINDING) as Guard | undefined;
  if (!guard) return;
  if (Date.now() > guard.deadline) throw timeLimit(guard.limits);
  if (typeof result === 'string') {
    if (result.length > guard.limits.maxResultBytes) throw resultLimit(guard.limits);
  } else if (Array.isArray(result) && result.length > guard.limits.maxSequenceLength) {
    throw sequenceLimit(guard.limits);
  }
}

function guardOf(focus: jsonata.Focus): ExpressionLimits {
  const frame = focus.environment as unknown as JsonataFrame | undefined;
  return (frame?.base.lookup(GUARD_BINDING) as Guard | undefined)?.limits ?? DEFAULT_EXPRESSION_LIMITS;
}

type NativeFunction = { implementation: (this: jsonata.Focus, ...args: unknown[]) => unknown };
const natives = new Map<string, Promise<NativeFunction>>();
/** jsonata's own implementation of `$name`, for the bounded versions below to call. */
function native(name: string): Promise<NativeFunction> {
  let found = natives.get(name);
  if (!found) {
    found = jsonata(`$${name}`).evaluate(null) as Promise<NativeFunction>;
    natives.set(name, found);
  }
  return found;
}

/** $split with its `limit` capped one past the sequence limit, so a huge split is never built. */
async function boundedSplit(this: jsonata.Focus, ...args: unknown[]): Promise<unknown> {
  const limits = guardOf(this);
  const cap = limits.maxSequenceLength + 1;
  const limit = args[2] as number | undefined;
  const result = await (await native('split')).implementation.call(
    this,
    args[0],
    args[1],
    limit === undefined ? cap : Math.min(limit, cap),
  );
  if (Array.isArray(result) && result.length >= cap) throw sequenceLimit(limits);
  return result;
}

/** $pad refuses a width past the size cap before building the padding (one allocation). */
async function boundedPad(this: jsonata.Focus, ...args: unknown[]): Promise<unknown> {
  const limits = guardOf(this);
  const width = Math.abs(Math.trunc(Number(args[1])));
  if (width > limits.maxResultBytes) throw resultLimit(limits);
  return (await native('pad')).implementation.apply(this, args);
}

/** $join adds up the parts first: Array.join allocates the whole result at once. */
async function boundedJoin(this: jsonata.Focus, ...args: unknown[]): Promise<unknown> {
  const limits = guardOf(this);
  const parts = Array.isArray(args[0]) ? (args[0] as unknown[]) : [];
  const separator = typeof args[1] === 'string' ? args[1].length : 0;
  let total = 0;
  for (const part of parts) {
    total += (typeof part === 'string' ? part.length : 0) + separator;
    if (total > limits.maxResultBytes) throw resultLimit(limits);
  }
  return (await native('join')).implementation.apply(this, args);
}

/** $length without the array of one element per character that jsonata's own builds. */
function codePointLength(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
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

export function timeLimit(limits: Pick<ExpressionLimits, 'timeoutMs'>): ExpressionError {
  return new ExpressionError(
    `expression limit 'time' hit: the node's expressions ran longer than their budget of ${limits.timeoutMs} ms (EXPRESSION_TIMEOUT_MS)`,
    'TIMEOUT',
    'time',
  );
}

function sequenceLimit(limits: ExpressionLimits): ExpressionError {
  return new ExpressionError(
    `expression limit 'sequence_length' hit: a sequence longer than ${limits.maxSequenceLength} items (EXPRESSION_SEQUENCE_LIMIT)`,
    'TOO_LONG',
    'sequence_length',
  );
}

function resultLimit(limits: ExpressionLimits): ExpressionError {
  return new ExpressionError(
    `expression limit 'result_size' hit: a value larger than ${limits.maxResultBytes} bytes (EXPRESSION_RESULT_LIMIT_BYTES)`,
    'TOO_LARGE',
    'result_size',
  );
}

function toExpressionError(error: unknown, limits: ExpressionLimits): ExpressionError {
  if (error instanceof ExpressionError) return error;
  const failure = (error ?? {}) as JsonataFailure;
  const code = failure.code ?? 'ERROR';
  if (error instanceof RangeError) {
    // "Invalid string length" / "Invalid array length": V8 refused to build something that big.
    return new ExpressionError(`expression limit 'result_size' hit: ${error.message}`, 'TOO_LARGE', 'result_size');
  }
  if (error instanceof Error && failure.code === undefined) return new ExpressionError(error.message, code);
  if (code === 'D1012') return timeLimit(limits);
  if (code === 'D1011') {
    return new ExpressionError(
      `expression limit 'depth' hit: nested deeper than ${MAX_EXPRESSION_DEPTH} steps (runaway recursion?)`,
      'TOO_DEEP',
      'depth',
    );
  }
  if (code === 'D2014' || code === 'D2015') return sequenceLimit(limits);
  const where = typeof failure.position === 'number' ? ` at position ${failure.position}` : '';
  return new ExpressionError(`JSONata error ${code}${where}: ${failure.message ?? String(error)}`, code);
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
