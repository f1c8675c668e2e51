/**
 * @module engine/walk
 * The walk loop, kept short: a lane pops tokens and runs them; a frame drives its root lane, then
 * lets parked skips travel and settles joins until nothing moves; a group drives its branch lanes
 * concurrently under the flow_parallel timeout; a loop drives one iteration frame after another.
 * Every function here works on the data in state.ts, so a resumed run re-enters the same functions.
 */
import { serializeCheckpoint, takeCheckpoint } from './checkpoint.ts';
import { frameHalted, pushInOrder } from './frontier.ts';
import { settleJoins } from './joins.ts';
import { parallelTimeoutError } from './limits.ts';
import { abandonLoop, beginIteration, finishLoop, startLoop } from './loops.ts';
import { appendLog } from './record.ts';
import { errorMessageOf } from './retry.ts';
import { forkBranches, routeOutcome } from './routing.ts';
import { commitRun, type NodeRun, runNode } from './run-node.ts';
import { failExecution, failWithLimit, type Runtime } from './runtime.ts';
import { releaseDeferredSkips, skipJoin } from './skips.ts';
import { branchOf } from './spans.ts';
import type { Frame, GroupSub, Lane, LoopState, Token } from './state.ts';
import type { NodeState } from './types.ts';

/** Undefined (no await needed) unless the recorder returned a promise. */
function notifyFinished(rt: Runtime, state: NodeState): Promise<void> | undefined {
  const hook = rt.deps.recorder?.onNodeFinished;
  if (!hook) return undefined;
  const fail = (error: unknown): void =>
    failExecution(rt, `Recording the run failed: ${errorMessageOf(error)}`, state.node_id);
  try {
    const pending = hook.call(
      rt.deps.recorder,
      state,
      () => takeCheckpoint(rt),
      () => serializeCheckpoint(rt),
    );
    return pending ? pending.catch(fail) : undefined;
  } catch (error) {
    fail(error);
    return undefined;
  }
}

/** What a finished run means for the flow: loops, forks, breaks, ends, or plain routing. */
function applyRun(rt: Runtime, lane: Lane, token: Token, run: NodeRun): void {
  const outcome = run.outcome;
  const control = run.toErrorPort ? undefined : outcome.control;
  switch (control?.kind) {
    case 'foreach':
    case 'while': {
      const loop = startLoop(rt, lane, token.node, token.input, outcome.output, control);
      if (loop && control.kind === 'while' && !control.proceed) finishLoop(rt, lane, loop);
      return;
    }
    case 'parallel':
      forkBranches(rt, lane, token.node, outcome, control.timeoutMs);
      return;
    case 'break':
      if (control.breakLoop && lane.frame.loop) {
        lane.frame.loop.broken = true;
        appendLog(run.state, `loop "${lane.frame.loop.node}" ended by break`);
        return;
      }
      if (control.breakLoop) appendLog(run.state, 'loop_break outside any loop: nothing to end');
      routeOutcome(rt, lane, token.node, outcome);
      return;
    case 'end':
      rt.rec.finalOutput = { ...(rt.rec.finalOutput ?? {}), ...control.finalOutput };
      if (control.status === 'failed') {
        failExecution(rt, control.errorMessage || `flow_end "${token.node}" ended the run as failed`, token.node);
      }
      return;
    default:
      routeOutcome(rt, lane, token.node, outcome);
  }
}

async function step(rt: Runtime, lane: Lane, token: Token): Promise<void> {
  lane.inflight = token;
  lane.frame.touched.add(token.node);
  let run: NodeRun | null;
  try {
    run = await runNode(rt, token.node, token.input, branchOf(lane));
  } catch (error) {
    // Only the recorder or a broken invariant gets here; node failures are handled in runNode.
    failExecution(rt, `Node "${token.node}" could not run: ${errorMessageOf(error)}`, token.node);
    return;
  }
  if (!run) return;
  // From here to notifyFinished nothing awaits: a checkpoint sees all of it or none of it.
  lane.inflight = null;
  commitRun(rt, run);
  applyRun(rt, lane, token, run);
  const recorded = notifyFinished(rt, run.state);
  if (recorded) await recorded;
}

async function driveLane(rt: Runtime, lane: Lane): Promise<void> {
  const frame = lane.frame;
  for (;;) {
    if (rt.stop || frameHalted(frame)) return;
    const sub = lane.sub;
    if (sub?.kind === 'group') {
      await driveGroup(rt, lane, sub);
      continue;
    }
    if (sub?.kind === 'loop') {
      await driveLoop(rt, lane, sub.loop);
      continue;
    }
    const token = lane.stack.pop();
    if (!token) {
      // Leaving the frame's live set in the same step as the empty check: no token can land here unseen.
      if (lane !== frame.root) frame.lanes.delete(lane);
      return;
    }
    await step(rt, lane, token);
  }
}

async function driveGroup(rt: Runtime, lane: Lane, group: GroupSub): Promise<void> {
  const remaining = group.deadline - performance.now();
  if (remaining <= 0) {
    failWithLimit(rt, parallelTimeoutError(group.node, group.timeoutMs));
    return;
  }
  const timer = setTimeout(() => failWithLimit(rt, parallelTimeoutError(group.node, group.timeoutMs)), remaining);
  try {
    await Promise.all(group.lanes.map((child) => driveLane(rt, child)));
  } finally {
    clearTimeout(timer);
  }
  if (!rt.stop) lane.sub = null;
}

/** Runs a while node again; true/false: whether to iterate, null: the loop is left (or the run stopped). */
async function evaluateWhile(rt: Runtime, lane: Lane, loop: LoopState): Promise<boolean | null> {
  const run = await runNode(rt, loop.node, loop.input, branchOf(lane));
  if (!run) return null;
  commitRun(rt, run);
  const control = run.toErrorPort ? undefined : run.outcome.control;
  if (control?.kind !== 'while') {
    abandonLoop(rt, lane, loop);
    routeOutcome(rt, lane, loop.node, run.outcome);
    await notifyFinished(rt, run.state);
    return null;
  }
  loop.output = run.outcome.output;
  loop.needsEval = false;
  await notifyFinished(rt, run.state);
  return control.proceed;
}

async function driveLoop(rt: Runtime, lane: Lane, loop: LoopState): Promise<void> {
  for (;;) {
    if (loop.frame) {
      await driveFrame(rt, loop.frame);
      if (rt.stop) return;
      loop.frame = null;
      loop.needsEval = loop.kind === 'while';
    }
    if (loop.broken) break;
    if (loop.needsEval) {
      const proceed = await evaluateWhile(rt, lane, loop);
      if (proceed === null) return;
      if (!proceed) break;
    }
    if (!beginIteration(rt, loop)) {
      if (rt.stop) return;
      break;
    }
  }
  finishLoop(rt, lane, loop);
}

/** Drives a frame until nothing in it can move: tokens, then parked skips, then joins. */
export async function driveFrame(rt: Runtime, frame: Frame): Promise<void> {
  for (;;) {
    await driveLane(rt, frame.root);
    if (rt.stop || frameHalted(frame)) return;
    releaseDeferredSkips(rt, frame);
    if (frame.root.stack.length > 0) continue;
    const outcomes = settleJoins(rt, frame);
    if (outcomes.length === 0) return;
    const fired: Token[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === 'fired') fired.push(outcome.token);
      else skipJoin(rt, frame, outcome.node);
    }
    pushInOrder(frame.root, fired);
  }
}
