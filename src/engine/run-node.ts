/**
 * @module engine/run-node
 * One run of one node: the MAX_TOTAL_OPERATIONS check, recording, a parallel slot, then a mock, a
 * disabled pass-through or the node's executor under retries, per-node timeout and cancellation.
 * `runNode` leaves the final bookkeeping to `commitRun`, which the walk calls in the same
 * synchronous step as routing, so a checkpoint never sees a completed node whose tokens are missing.
 * Mocked and disabled nodes: see mock-outcome.ts; attempts, timeouts and retries: attempts.ts.
 */
import { type Attempted, attempt } from './attempts.ts';
import { operationsError } from './limits.ts';
import { defaultPorts, mockOutcome } from './mock-outcome.ts';
import type { PlanNode } from './plan.ts';
import { appendLog, beginRun, completeRun, failRun, runCount } from './record.ts';
import { errorCodeOf, errorMessageOf } from './retry.ts';
import {
  elapsedMs,
  emitRunEvent,
  failExecution,
  failWithLimit,
  nodeTypeOf,
  nowIso,
  outputPortsOfNode,
  type Runtime,
} from './runtime.ts';
import { closeSpan, openSpan, type SpanTrack } from './spans.ts';
import type { RunOutcome } from './state.ts';
import type { NodeState } from './types.ts';

export interface NodeRun {
  readonly nodeId: string;
  readonly state: NodeState;
  readonly outcome: RunOutcome;
  readonly startedMs: number;
  /** The node failed for good and its `error` port takes the token. */
  readonly toErrorPort: boolean;
  /** Its run, attempt and lane, and the timeline span of its last attempt (null past the span cap). */
  readonly track: SpanTrack;
}

function produce(
  rt: Runtime,
  node: PlanNode,
  input: unknown,
  state: NodeState,
  track: SpanTrack,
): Attempted | Promise<Attempted> {
  const failure = rt.request.mockErrors;
  if (failure && Object.hasOwn(failure, node.id)) {
    appendLog(state, 'failure forced by mock_errors (node not executed)');
    return { error: new Error(failure[node.id]) };
  }
  const mocks = rt.request.mockOutputs;
  if (mocks && Object.hasOwn(mocks, node.id)) {
    appendLog(state, 'output pinned by mock_outputs (node not executed)');
    const mocked = mockOutcome(outputPortsOfNode(rt, node.id), node.config, mocks[node.id]);
    return { result: mocked };
  }
  if (node.node.enabled === false) {
    appendLog(state, 'node disabled: input passed through');
    return { result: { output: input, ports: defaultPorts(outputPortsOfNode(rt, node.id), node.config) } };
  }
  const type = nodeTypeOf(rt, node.id);
  if (!type) return { error: new Error(`Unknown node type "${node.node.node_type}"`) };
  return attempt(rt, type, node, input, state, track);
}

/**
 * Runs one node; null when the execution stopped (cancelled, limit or unhandled failure).
 * `lane`: the timeline branch it runs on (spans.ts).
 */
export async function runNode(rt: Runtime, nodeId: string, input: unknown, lane = 0): Promise<NodeRun | null> {
  if (rt.stop) return null;
  const node = rt.plan.nodes.get(nodeId) as PlanNode;
  // The slot comes first: started_at, the 'running' event and the node's duration must mean
  // "executing", not "queued behind MAX_PARALLEL_NODES".
  const wait = rt.slots.acquire();
  if (wait) await wait;
  let attempted: Attempted | Promise<Attempted>;
  let state: NodeState;
  let startedMs: number;
  const track: SpanTrack = { span: null, lane, run: 0, attempt: 1 };
  try {
    if (rt.stop) return null;
    if (rt.rec.operations >= rt.limits.maxTotalOperations) {
      failWithLimit(rt, operationsError(rt.limits, nodeId));
      return null;
    }
    const at = nowIso(rt);
    state = beginRun(rt.rec, nodeId, input, at);
    // Counted before the await: a run of the same node from another branch may begin meanwhile.
    track.run = runCount(state);
    emitRunEvent(rt, nodeId, 'running', at, null, track);
    const started = rt.deps.recorder?.onNodeStarted?.(state);
    if (started) await started;
    startedMs = performance.now();
    track.span = openSpan(rt.rec, nodeId, track.run, 1, lane, elapsedMs(rt));
    attempted = rt.stop ? null : produce(rt, node, input, state, track);
    if (attempted instanceof Promise) attempted = await attempted;
  } finally {
    rt.slots.release();
  }
  if (attempted === null || rt.stop) return null;
  if ('result' in attempted) return { nodeId, state, outcome: attempted.result, startedMs, toErrorPort: false, track };
  const message = errorMessageOf(attempted.error);
  if (node.outByPort.has('error')) {
    const error = { message, code: errorCodeOf(attempted.error), node_id: nodeId };
    return {
      nodeId,
      state,
      outcome: { output: error, ports: ['error'] },
      startedMs,
      toErrorPort: true,
      track,
    };
  }
  const now = nowIso(rt);
  failRun(rt.rec, state, message, now, performance.now() - startedMs);
  closeSpan(track.span, 'failed', elapsedMs(rt));
  emitRunEvent(rt, nodeId, 'failed', now, null, track);
  failExecution(rt, message, nodeId);
  return null;
}

/** Records the end of a successful run (or one routed to its error port). Synchronous on purpose. */
export function commitRun(rt: Runtime, run: NodeRun): void {
  const at = nowIso(rt);
  const duration = performance.now() - run.startedMs;
  const output = run.outcome.output;
  if (run.toErrorPort) {
    failRun(rt.rec, run.state, (output as { message: string }).message, at, duration);
    closeSpan(run.track.span, 'failed', elapsedMs(rt));
    rt.scope.set('error', output);
    rt.nodeOutputs[run.nodeId] = { output: null, error: output };
    emitRunEvent(rt, run.nodeId, 'failed', at, output, run.track);
    return;
  }
  completeRun(rt.rec, run.state, output, at, duration);
  closeSpan(run.track.span, 'completed', elapsedMs(rt));
  rt.nodeOutputs[run.nodeId] = { output };
  emitRunEvent(rt, run.nodeId, 'completed', at, run.state.output_data, run.track);
}
