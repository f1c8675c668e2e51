/**
 * @module core/expression-limits
 * What bounds a JSONata evaluation (length, depth, sequence, result size, time budget), the
 * ExpressionError that names the limit hit, and the translation of jsonata's own failures into it.
 * Apart from expressions.ts because the worker pool (src/expressions) and the node types read the
 * limits and errors without evaluating anything.
 */

export const DEFAULT_EXPRESSION_TIMEOUT_MS = 1000;
export const MAX_EXPRESSION_LENGTH = 10_000;
/** Nested evaluation steps; deep enough for real queries, far from the JS stack limit. */
export const MAX_EXPRESSION_DEPTH = 500;
/** Longest sequence an expression may build (`[1..10000000]` is refused, not allocated). */
export const MAX_SEQUENCE_LENGTH = 1_000_000;
export const DEFAULT_MAX_RESULT_BYTES = 1024 * 1024;

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

interface JsonataFailure {
  readonly code?: string;
  readonly message?: string;
  readonly position?: number;
  readonly token?: string;
}

export function timeLimit(limits: Pick<ExpressionLimits, 'timeoutMs'>): ExpressionError {
  return new ExpressionError(
    `expression limit 'time' hit: the node's expressions ran longer than their budget of ${limits.timeoutMs} ms (EXPRESSION_TIMEOUT_MS)`,
    'TIMEOUT',
    'time',
  );
}

export function sequenceLimit(limits: ExpressionLimits): ExpressionError {
  return new ExpressionError(
    `expression limit 'sequence_length' hit: a sequence longer than ${limits.maxSequenceLength} items (EXPRESSION_SEQUENCE_LIMIT)`,
    'TOO_LONG',
    'sequence_length',
  );
}

export function resultLimit(limits: ExpressionLimits): ExpressionError {
  return new ExpressionError(
    `expression limit 'result_size' hit: a value larger than ${limits.maxResultBytes} bytes (EXPRESSION_RESULT_LIMIT_BYTES)`,
    'TOO_LARGE',
    'result_size',
  );
}

export function toExpressionError(error: unknown, limits: ExpressionLimits): ExpressionError {
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
