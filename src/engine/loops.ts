/**
 * @module engine/loops
 * loop_foreach / loop_while as state owned by the lane that reached the loop node. Each iteration
 * is a fresh frame whose root lane starts with the tokens of the `loop` port (the element for
 * foreach, the loop node's output for while); item/index variables are set per iteration and the
 * values they shadowed come back when the loop ends, so nested loops with the default names work.
 * Limits: nesting deeper than MAX_LOOP_DEPTH, and more iterations than max_iterations (capped by
 * MAX_LOOP_ITERATIONS; a foreach fails before its first iteration, a while when it would exceed).
 */
import { type ControlResult, LOOP_BODY_PORT } from '../nodes/node-type.ts';
import { capValue } from './cap-value.ts';
import { createFrame, pushInOrder } from './frontier.ts';
import { loopDepthError, loopIterationCap, loopIterationsError } from './limits.ts';
import type { PlanNode } from './plan.ts';
import { routeLoopDone, sendLive } from './routing.ts';
import { failWithLimit, type Runtime } from './runtime.ts';
import type { EngineScope } from './scope.ts';
import type { Lane, LoopState, SavedVariable, Token } from './state.ts';

type LoopControl = Extract<ControlResult, { kind: 'foreach' } | { kind: 'while' }>;

const NOT_SAVED: SavedVariable = Object.freeze({ present: false, value: undefined });

function save(scope: EngineScope, name: string): SavedVariable {
  if (name === '' || !scope.has(name)) return NOT_SAVED;
  return { present: true, value: scope.get(name) };
}

function restore(scope: EngineScope, name: string, saved: SavedVariable): void {
  if (name === '') return;
  if (saved.present) scope.set(name, saved.value);
  else scope.unset(name);
}

/** Sets up a loop on `lane` after its node ran; null when a limit ended the execution. */
export function startLoop(
  rt: Runtime,
  lane: Lane,
  nodeId: string,
  input: unknown,
  output: unknown,
  control: LoopControl,
): LoopState | null {
  const depth = lane.frame.depth + 1;
  if (depth > rt.limits.maxLoopDepth) {
    failWithLimit(rt, loopDepthError(nodeId, depth, rt.limits));
    return null;
  }
  const cap = loopIterationCap(control.maxIterations, rt.limits);
  const items = control.kind === 'foreach' ? control.items : null;
  if (items && items.length > cap) {
    failWithLimit(rt, loopIterationsError(nodeId, cap, rt.limits));
    return null;
  }
  const itemVariable = control.kind === 'foreach' ? control.itemVariable : '';
  const indexVariable = control.kind === 'foreach' ? control.indexVariable : '';
  const loop: LoopState = {
    node: nodeId,
    kind: control.kind,
    lane,
    items,
    itemVariable,
    indexVariable,
    maxIterations: cap,
    input,
    output,
    iteration: 0,
    needsEval: false,
    broken: false,
    savedItem: save(rt.scope, itemVariable),
    savedIndex: save(rt.scope, indexVariable),
    activeLoops: new Set(lane.frame.activeLoops).add(nodeId),
    frame: null,
  };
  lane.sub = { kind: 'loop', loop };
  return loop;
}

/** Starts the next iteration frame; false when the loop is over (or a limit ended the run). */
export function beginIteration(rt: Runtime, loop: LoopState): boolean {
  if (loop.broken) return false;
  let payload: unknown;
  if (loop.items) {
    if (loop.iteration >= loop.items.length) return false;
    payload = loop.items[loop.iteration];
    if (loop.itemVariable) rt.scope.set(loop.itemVariable, payload);
    if (loop.indexVariable) rt.scope.set(loop.indexVariable, loop.iteration);
  } else {
    if (loop.iteration >= loop.maxIterations) {
      failWithLimit(rt, loopIterationsError(loop.node, loop.maxIterations, rt.limits));
      return false;
    }
    payload = loop.output;
  }
  loop.iteration++;
  const frame = createFrame(rt, loop, loop.lane.frame.depth + 1);
  const node = rt.plan.nodes.get(loop.node) as PlanNode;
  const tokens: Token[] = [];
  for (const connection of node.outByPort.get(LOOP_BODY_PORT) ?? [])
    sendLive(rt, frame, frame.root, connection, payload, tokens);
  pushInOrder(frame.root, tokens);
  loop.frame = frame;
  return true;
}

/** Leaves the loop without continuing at `done` (its node failed into its error port). */
export function abandonLoop(rt: Runtime, lane: Lane, loop: LoopState): void {
  restore(rt.scope, loop.itemVariable, loop.savedItem);
  restore(rt.scope, loop.indexVariable, loop.savedIndex);
  loop.frame = null;
  lane.sub = null;
}

/**
 * A foreach's output counts the iterations that ran: after a break that is fewer than its items,
 * so `count` (and `nodes.<id>.output`, and the node's record) is brought down to the real number.
 */
function countIterations(rt: Runtime, loop: LoopState): void {
  const output = loop.output as { count?: unknown } | null;
  if (!loop.items || !loop.broken || typeof output?.count !== 'number' || output.count === loop.iteration) return;
  loop.output = { ...output, count: loop.iteration };
  rt.nodeOutputs[loop.node] = { output: loop.output };
  const state = rt.rec.states[loop.node];
  if (state) state.output_data = capValue(loop.output, rt.limits.maxStoredBytes);
}

/** The loop is over: variables restored, tokens on `done`, skips on the `loop` port. */
export function finishLoop(rt: Runtime, lane: Lane, loop: LoopState): void {
  abandonLoop(rt, lane, loop);
  countIterations(rt, loop);
  routeLoopDone(rt, lane, loop.node, loop.output);
}
