/**
 * @module engine/skips
 * Skip waves: a connected port that gets no token sends a skip along its connections. A skip marks
 * nodes `skipped` (only nodes that never ran) and travels on until a join, where it counts as a
 * dead branch. Right after a node finishes the wave is "eager": it must not pass a node that a
 * pending token could still reach (that node may yet run, and a merge behind it must wait), so
 * it parks those signals in the frame and they travel once the frame has nothing left to run.
 * Nodes that ran or were skipped in the frame stop a wave: their outgoing edges are already settled.
 */
import { arriveAtJoin } from './joins.ts';
import { bitsetHas, newBitset, orInto, type PlanConnection, type PlanNode, reachBits } from './plan.ts';
import { markSkipped } from './record.ts';
import { emitEvent, type Runtime } from './runtime.ts';
import type { Frame, Lane } from './state.ts';

/** Nodes that a pending token, a running node, a running loop or a half-arrived join may still reach. */
function pendingReach(rt: Runtime, frame: Frame): Uint32Array {
  const plan = rt.plan;
  const bits = newBitset(plan);
  const add = (id: string): void => {
    const node = plan.nodes.get(id);
    if (node && !bitsetHas(bits, node.index)) orInto(bits, reachBits(plan, node));
  };
  for (const lane of frame.lanes) {
    for (const token of lane.stack) add(token.node);
    if (lane.inflight) add(lane.inflight.node);
    if (lane.sub?.kind === 'loop') add(lane.sub.loop.node);
  }
  for (const join of frame.joins.values()) if (!join.fired && join.live > 0) add(join.node);
  return bits;
}

function skipNode(rt: Runtime, frame: Frame, nodeId: string): void {
  frame.touched.add(nodeId);
  const state = rt.rec.states[nodeId];
  if (markSkipped(state)) emitEvent(rt, nodeId, 'skipped', null, null);
}

/**
 * Sends skips along `connections`. `lane` is where a join fired by a dead arrival continues from
 * (the frame root once the frame is quiescent).
 */
export function propagateSkips(
  rt: Runtime,
  frame: Frame,
  lane: Lane,
  connections: readonly PlanConnection[],
  eager: boolean,
): void {
  const plan = rt.plan;
  let reachable: Uint32Array | null = null;
  const queue = connections.slice();
  for (let i = 0; i < queue.length; i++) {
    const connection = queue[i];
    if (frame.activeLoops.has(connection.to)) continue;
    const target = plan.nodes.get(connection.to) as PlanNode;
    if (target.isJoin) {
      const outcome = arriveAtJoin(rt, frame, lane, connection, false, undefined);
      if (outcome?.kind === 'skipped') {
        skipNode(rt, frame, target.id);
        queue.push(...target.outgoing);
      } else if (outcome?.kind === 'fired') {
        outcome.lane.stack.push(outcome.token);
        if (reachable) orInto(reachable, reachBits(plan, target));
      }
      continue;
    }
    if (frame.touched.has(target.id)) continue;
    if (eager) {
      reachable ??= pendingReach(rt, frame);
      if (bitsetHas(reachable, target.index)) {
        frame.deferredSkips.push(connection.index);
        continue;
      }
    }
    skipNode(rt, frame, target.id);
    queue.push(...target.outgoing);
  }
}

/** Frame quiescent: parked skips travel now (nothing can reach their targets any more). */
export function releaseDeferredSkips(rt: Runtime, frame: Frame): void {
  if (frame.deferredSkips.length === 0) return;
  const connections: PlanConnection[] = [];
  for (const index of frame.deferredSkips.splice(0)) {
    const connection = rt.plan.connections[index];
    if (connection) connections.push(connection);
  }
  propagateSkips(rt, frame, frame.root, connections, false);
}

export function skipJoin(rt: Runtime, frame: Frame, nodeId: string): void {
  skipNode(rt, frame, nodeId);
  const node = rt.plan.nodes.get(nodeId) as PlanNode;
  propagateSkips(rt, frame, frame.root, node.outgoing, false);
}
