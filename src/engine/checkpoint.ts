/**
 * @module engine/checkpoint
 * Taking a checkpoint (the walk state copied to JSON-safe data) and rebuilding the walk from one.
 * A checkpoint can be taken between any two steps: a completed node's scope update, record and
 * outgoing tokens happen in one synchronous step, and a token whose node is still running is
 * written back on top of its lane's stack, so a resume runs it again (at least once).
 */
import {
  CHECKPOINT_VERSION,
  type ExecutionCheckpoint,
  type FrameData,
  type JoinData,
  type LaneData,
  type LoopData,
} from './checkpoint-types.ts';
import { aliveLane, createFrame, createLane, type IdSource } from './frontier.ts';
import { elapsedMs, type Runtime } from './runtime.ts';
import type { Frame, JoinState, Lane, LoopState } from './state.ts';

function joinData(join: JoinState): JoinData {
  return {
    node: join.node,
    arrived: Object.fromEntries(join.arrived),
    inputs: join.inputs,
    live: join.live,
    fired: join.fired,
    lane: join.lane ? aliveLane(join.lane).id : null,
  };
}

function loopData(loop: LoopState, now: number): LoopData {
  return {
    kind: 'loop',
    node: loop.node,
    loop_kind: loop.kind,
    items: loop.items,
    item_variable: loop.itemVariable,
    index_variable: loop.indexVariable,
    max_iterations: loop.maxIterations,
    input: loop.input,
    output: loop.output,
    iteration: loop.iteration,
    needs_eval: loop.needsEval,
    broken: loop.broken,
    saved_item: loop.savedItem,
    saved_index: loop.savedIndex,
    frame: loop.frame ? frameData(loop.frame, now) : null,
  };
}

function laneData(lane: Lane, now: number): LaneData {
  const sub = lane.sub;
  return {
    id: lane.id,
    stack: lane.inflight ? [...lane.stack, lane.inflight] : lane.stack.slice(),
    sub:
      sub === null
        ? null
        : sub.kind === 'loop'
          ? loopData(sub.loop, now)
          : {
              kind: 'group',
              node: sub.node,
              remaining_ms: Math.max(0, sub.deadline - now),
              timeout_ms: sub.timeoutMs,
              lanes: sub.lanes.filter((child) => lane.frame.lanes.has(child)).map((child) => laneData(child, now)),
            },
  };
}

function frameData(frame: Frame, now: number): FrameData {
  return {
    id: frame.id,
    depth: frame.depth,
    touched: [...frame.touched],
    joins: [...frame.joins.values()].map(joinData),
    deferred_skips: frame.deferredSkips.slice(),
    root: laneData(frame.root, now),
  };
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** A deep, JSON-safe copy of the run state. */
export function takeCheckpoint(rt: Runtime): ExecutionCheckpoint {
  return JSON.parse(serializeCheckpoint(rt)) as ExecutionCheckpoint;
}

/**
 * The run state as JSON text, in one pass: what persistence stores. A replacer would make
 * JSON.stringify visit every value through a callback, which dominates on large scopes; it is
 * used only when the fast path meets a BigInt.
 */
export function serializeCheckpoint(rt: Runtime): string {
  const checkpoint: ExecutionCheckpoint = {
    version: CHECKPOINT_VERSION,
    execution_id: rt.request.executionId,
    started_at: rt.startedAt,
    elapsed_ms: Math.round(elapsedMs(rt)),
    trigger_node_ids: rt.triggerNodeIds,
    next_id: rt.nextId,
    operations: rt.rec.operations,
    scope: rt.scope.data,
    root: frameData(rt.root, performance.now()),
    node_states: rt.rec.states,
    execution_path: rt.rec.path,
    counters: rt.rec.counters,
    node_durations_ms: rt.rec.durations,
    outbox: rt.rec.outbox,
    final_output: rt.rec.finalOutput,
  };
  try {
    return JSON.stringify(checkpoint);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(checkpoint, jsonSafe);
  }
}

function restoreLane(ids: IdSource, lane: Lane, data: LaneData, byId: Map<number, Lane>): void {
  byId.set(lane.id, lane);
  lane.stack.push(...data.stack.map((token) => ({ node: token.node, input: token.input, from: token.from ?? null })));
  const sub = data.sub;
  if (sub === null) return;
  if (sub.kind === 'group') {
    const lanes = sub.lanes.map((childData) => {
      const child = createLane(ids, lane.frame, lane, childData.id);
      restoreLane(ids, child, childData, byId);
      return child;
    });
    lane.sub = {
      kind: 'group',
      node: sub.node,
      lanes,
      deadline: performance.now() + sub.remaining_ms,
      timeoutMs: sub.timeout_ms,
    };
    return;
  }
  const loop: LoopState = {
    node: sub.node,
    kind: sub.loop_kind,
    lane,
    items: sub.items,
    itemVariable: sub.item_variable,
    indexVariable: sub.index_variable,
    maxIterations: sub.max_iterations,
    input: sub.input,
    output: sub.output,
    iteration: sub.iteration,
    needsEval: sub.needs_eval,
    broken: sub.broken,
    savedItem: sub.saved_item,
    savedIndex: sub.saved_index,
    activeLoops: new Set(lane.frame.activeLoops).add(sub.node),
    frame: null,
  };
  lane.sub = { kind: 'loop', loop };
  if (sub.frame) loop.frame = restoreFrame(ids, sub.frame, loop);
}

/** Rebuilds a frame (and everything below it) from checkpoint data. */
export function restoreFrame(ids: IdSource, data: FrameData, loop: LoopState | null): Frame {
  const frame = createFrame(ids, loop, data.depth, data.id, data.root.id);
  for (const id of data.touched) frame.touched.add(id);
  frame.deferredSkips.push(...data.deferred_skips);
  const byId = new Map<number, Lane>();
  restoreLane(ids, frame.root, data.root, byId);
  for (const join of data.joins) {
    frame.joins.set(join.node, {
      node: join.node,
      arrived: new Map(Object.entries(join.arrived).map(([index, how]) => [Number(index), how])),
      inputs: join.inputs,
      live: join.live,
      fired: join.fired,
      lane: join.lane === null ? null : (byId.get(join.lane) ?? null),
    });
  }
  return frame;
}
