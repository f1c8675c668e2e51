/**
 * @module core/expression-guards
 * The checks that run inside a JSONata evaluation: the exit hook after every step (time budget,
 * string and sequence caps) and the bounded built-ins ($split, $pad, $join, $length) that refuse
 * a huge value before building it. Both read the evaluation's limits from its bindings. Apart from
 * expressions.ts, which compiles, caches and evaluates.
 */
import jsonata from 'jsonata';
import {
  DEFAULT_EXPRESSION_LIMITS,
  type ExpressionLimits,
  resultLimit,
  sequenceLimit,
  timeLimit,
} from './expression-limits.ts';

/** Per-evaluation bounds, read by the exit hook through the evaluation's own bindings. */
export interface Guard {
  readonly deadline: number;
  readonly limits: ExpressionLimits;
}

interface JsonataFrame {
  readonly base: { lookup(name: string): unknown };
}

export const GUARD_BINDING = '__wfc_guard';

export function afterStep(_expr: unknown, _input: unknown, frame: JsonataFrame, result: unknown): void {
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
export async function boundedSplit(this: jsonata.Focus, ...args: unknown[]): Promise<unknown> {
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
export async function boundedPad(this: jsonata.Focus, ...args: unknown[]): Promise<unknown> {
  const limits = guardOf(this);
  const width = Math.abs(Math.trunc(Number(args[1])));
  if (width > limits.maxResultBytes) throw resultLimit(limits);
  return (await native('pad')).implementation.apply(this, args);
}

/** $join adds up the parts first: Array.join allocates the whole result at once. */
export async function boundedJoin(this: jsonata.Focus, ...args: unknown[]): Promise<unknown> {
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
export function codePointLength(text: string | undefined): number | undefined {
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
