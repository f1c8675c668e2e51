/**
 * @module engine/attempts
 * Running a node's executor: one attempt under the per-node timeout and the execution's
 * cancellation, and the retries after a failed one (backoff, logs, a span per attempt). Apart from
 * run-node.ts, which decides whether the executor runs at all (limits, mocks, disabled nodes) and
 * records the outcome.
 */
import type { NodeResult, NodeType } from '../nodes/node-type.ts';
import { abortableSleep, createNodeContext } from './context.ts';
import { LimitError, nodeTimeoutError } from './limits.ts';
import type { PlanNode } from './plan.ts';
import { appendLog } from './record.ts';
import { backoffDelay, errorMessageOf, resolveRetry, retryAfterOf, shouldRetry } from './retry.ts';
import { elapsedMs, emitRunEvent, failWithLimit, type Runtime } from './runtime.ts';
import { closeSpan, openSpan, type SpanTrack } from './spans.ts';
import type { NodeState } from './types.ts';

function raceSignal<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The work may still reject later; nobody waits for it any more.
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function checkResult(nodeId: string, result: NodeResult): NodeResult {
  if (result === null || typeof result !== 'object' || !Array.isArray(result.ports)) {
    throw new Error(`Node "${nodeId}" returned no result ports`);
  }
  return result;
}

/** One attempt; synchronous executors stay synchronous (no promise, no microtask). */
function attemptOnce(
  rt: Runtime,
  type: NodeType,
  node: PlanNode,
  input: unknown,
  track: SpanTrack,
): NodeResult | Promise<NodeResult> {
  const timeoutSeconds = node.node.timeout_seconds;
  if (timeoutSeconds === undefined) {
    const signal = rt.controller.signal;
    const result = type.execute(node.config, input, createNodeContext(rt, node.id, signal, track.run, track.attempt));
    if (!(result instanceof Promise)) return checkResult(node.id, result);
    return raceSignal(result, signal).then((value) => checkResult(node.id, value));
  }
  return attemptWithTimeout(rt, type, node, input, timeoutSeconds * 1000, track);
}

async function attemptWithTimeout(
  rt: Runtime,
  type: NodeType,
  node: PlanNode,
  input: unknown,
  timeoutMs: number,
  track: SpanTrack,
): Promise<NodeResult> {
  const own = new AbortController();
  const timer = setTimeout(() => own.abort(nodeTimeoutError(node.id, timeoutMs)), timeoutMs);
  const signal = AbortSignal.any([rt.controller.signal, own.signal]);
  try {
    const result = type.execute(node.config, input, createNodeContext(rt, node.id, signal, track.run, track.attempt));
    return checkResult(node.id, await raceSignal(Promise.resolve(result), signal));
  } finally {
    clearTimeout(timer);
  }
}

export type Attempted = { readonly result: NodeResult } | { readonly error: unknown } | null;

/** After failed attempt number `attempt`: give up, or back off and try again until done. */
async function retryAfter(
  rt: Runtime,
  type: NodeType,
  node: PlanNode,
  input: unknown,
  state: NodeState,
  failure: unknown,
  track: SpanTrack,
): Promise<Attempted> {
  const policy = resolveRetry(node.node, rt.request.definition.settings);
  let error = failure;
  for (let attempt = 1; ; attempt++) {
    if (rt.stop) return null;
    if (error instanceof LimitError) {
      failWithLimit(rt, error);
      return null;
    }
    if (!shouldRetry(error, attempt, policy)) return { error };
    const delay = backoffDelay(policy, attempt, rt.random, retryAfterOf(error));
    appendLog(state, `attempt ${attempt} failed: ${errorMessageOf(error)}; retrying in ${delay} ms`);
    rt.rec.counters.retries++;
    closeSpan(track.span, 'failed', elapsedMs(rt));
    emitRunEvent(rt, node.id, 'failed', null, null, track, true);
    try {
      await abortableSleep(delay, rt.controller.signal);
    } catch {
      return null;
    }
    state.attempts = attempt + 1;
    track.attempt = attempt + 1;
    track.span = openSpan(rt.rec, node.id, track.run, attempt + 1, track.lane, elapsedMs(rt));
    emitRunEvent(rt, node.id, 'running', null, null, track);
    try {
      return { result: await attemptOnce(rt, type, node, input, track) };
    } catch (next) {
      error = next;
    }
  }
}

export function attempt(
  rt: Runtime,
  type: NodeType,
  node: PlanNode,
  input: unknown,
  state: NodeState,
  track: SpanTrack,
): Attempted | Promise<Attempted> {
  state.attempts = 1;
  track.attempt = 1;
  try {
    const result = attemptOnce(rt, type, node, input, track);
    if (!(result instanceof Promise)) return { result };
    return result.then(
      (value) => ({ result: value }),
      (error: unknown) => retryAfter(rt, type, node, input, state, error, track),
    );
  } catch (error) {
    return retryAfter(rt, type, node, input, state, error, track);
  }
}
