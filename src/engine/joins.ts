/**
 * @module engine/joins
 * Join nodes (flow_merge): per frame, each incoming connection arrives once, live (a token) or dead
 * (a skip). It fires when its first N live branches are in (its type's `joinInputs` N > 0), or when
 * every connection it can expect has arrived with at least one live (-1, the default); all dead
 * means the merge is skipped and the skip travels on. Only connections from nodes reachable from
 * the triggers that fired are expected; anything else is settled by `settleJoins` when the frame
 * has nothing left to run, which is why a merge never hangs. A fired merge ignores late tokens:
 * it runs once per frame. Its input is `{source node id: payload}` of its live arrivals.
 */
import { aliveLane, lowestCommonLane } from './frontier.ts';
import type { PlanConnection, PlanNode } from './plan.ts';
import { appendLog } from './record.ts';
import type { Runtime } from './runtime.ts';
import type { Frame, JoinState, Lane, Token } from './state.ts';

export type JoinOutcome =
  | { readonly kind: 'fired'; readonly lane: Lane; readonly token: Token }
  | { readonly kind: 'skipped'; readonly node: string };

export function expectedArrivals(rt: Runtime, node: PlanNode): number {
  let expected = 0;
  for (const connection of node.incoming) if (rt.live.has(connection.from)) expected++;
  return expected;
}

export function joinFor(frame: Frame, nodeId: string): JoinState {
  let join = frame.joins.get(nodeId);
  if (!join) {
    join = { node: nodeId, arrived: new Map(), inputs: {}, live: 0, fired: false, lane: null };
    frame.joins.set(nodeId, join);
  }
  return join;
}

function settle(rt: Runtime, join: JoinState, lane: Lane, everythingIn: boolean): JoinOutcome | null {
  const node = rt.plan.nodes.get(join.node) as PlanNode;
  const required = node.joinInputs;
  const complete = everythingIn || join.arrived.size >= expectedArrivals(rt, node);
  if (join.live > 0 && (complete || (required > 0 && join.live >= required))) {
    join.fired = true;
    const target = aliveLane(lowestCommonLane(join.lane, lane));
    return { kind: 'fired', lane: target, token: { node: join.node, input: join.inputs, from: null } };
  }
  if (complete && join.live === 0) {
    join.fired = true;
    return { kind: 'skipped', node: join.node };
  }
  return null;
}

/** One arrival on `connection` (whose target is a join) seen from `lane`. */
export function arriveAtJoin(
  rt: Runtime,
  frame: Frame,
  lane: Lane,
  connection: PlanConnection,
  live: boolean,
  payload: unknown,
): JoinOutcome | null {
  const join = joinFor(frame, connection.to);
  if (join.fired) {
    if (live)
      appendLog(
        rt.rec.states[join.node],
        `ignored a token from "${connection.from}" that arrived after the merge continued`,
      );
    return null;
  }
  if (join.arrived.has(connection.index)) return null;
  join.arrived.set(connection.index, live ? 'live' : 'dead');
  if (live) {
    join.live++;
    join.inputs[connection.from] = payload;
    join.lane = lowestCommonLane(join.lane, lane);
  }
  return settle(rt, join, lane, false);
}

/** Frame quiescent: whatever a join still waits for will never come. */
export function settleJoins(rt: Runtime, frame: Frame): JoinOutcome[] {
  const outcomes: JoinOutcome[] = [];
  for (const join of frame.joins.values()) {
    if (join.fired || join.arrived.size === 0) continue;
    const outcome = settle(rt, join, frame.root, true);
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}
