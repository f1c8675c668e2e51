/**
 * @module engine/routing
 * Token routing after a node run: the chosen ports send tokens along their enabled connections in
 * connection order, the other connected ports send skips. A token reaching a join is an arrival,
 * not a run; a token reaching a loop node that is looping around it ends its branch (the loop's
 * back edge). flow_parallel instead gives each outgoing branch its own lane.
 */
import { createLane, pushInOrder } from './frontier.ts';
import { arriveAtJoin } from './joins.ts';
import type { PlanConnection, PlanNode } from './plan.ts';
import type { Runtime } from './runtime.ts';
import { propagateSkips } from './skips.ts';
import type { Frame, Lane, RunOutcome, Token } from './state.ts';

/** One live token along `connection`: collected in `into` (for `lane`) or handed to another lane. */
export function sendLive(
  rt: Runtime,
  frame: Frame,
  lane: Lane,
  connection: PlanConnection,
  payload: unknown,
  into: Token[],
): void {
  if (frame.activeLoops.has(connection.to)) return;
  const target = rt.plan.nodes.get(connection.to) as PlanNode;
  if (!target.isJoin) {
    into.push({ node: connection.to, input: payload, from: connection.from });
    return;
  }
  const outcome = arriveAtJoin(rt, frame, lane, connection, true, payload);
  if (outcome?.kind !== 'fired') return;
  if (outcome.lane === lane) into.push(outcome.token);
  else outcome.lane.stack.push(outcome.token);
}

/** Splits a node's connections into live tokens for the lane and skipped connections. */
function split(
  rt: Runtime,
  lane: Lane,
  connections: readonly PlanConnection[],
  outcome: RunOutcome,
): { tokens: Token[]; skipped: PlanConnection[] | null } {
  const tokens: Token[] = [];
  const skipped: PlanConnection[] = [];
  for (const connection of connections) {
    if (outcome.ports.includes(connection.fromPort)) sendLive(rt, lane.frame, lane, connection, outcome.output, tokens);
    else skipped.push(connection);
  }
  return { tokens, skipped: skipped.length > 0 ? skipped : null };
}

export function routeOutcome(rt: Runtime, lane: Lane, nodeId: string, outcome: RunOutcome): void {
  const node = rt.plan.nodes.get(nodeId) as PlanNode;
  if (node.outgoing.length === 0) return;
  const { tokens, skipped } = split(rt, lane, node.outgoing, outcome);
  pushInOrder(lane, tokens);
  if (skipped) propagateSkips(rt, lane.frame, lane, skipped, true);
}

/** flow_parallel: each live outgoing connection becomes a child lane; the lane waits for the group. */
export function forkBranches(rt: Runtime, lane: Lane, nodeId: string, outcome: RunOutcome, timeoutMs: number): void {
  const node = rt.plan.nodes.get(nodeId) as PlanNode;
  const lanes: Lane[] = [];
  const skipped: PlanConnection[] = [];
  for (const connection of node.outgoing) {
    if (!outcome.ports.includes(connection.fromPort)) {
      skipped.push(connection);
      continue;
    }
    const tokens: Token[] = [];
    sendLive(rt, lane.frame, lane, connection, outcome.output, tokens);
    if (tokens.length === 0) continue;
    const child = createLane(rt, lane.frame, lane);
    pushInOrder(child, tokens);
    lanes.push(child);
  }
  if (lanes.length > 0) {
    lane.sub = { kind: 'group', node: nodeId, lanes, deadline: performance.now() + timeoutMs, timeoutMs };
  }
  if (skipped.length > 0) propagateSkips(rt, lane.frame, lane, skipped, true);
}

/** The `done` side of a loop: tokens on `done`, skips on every other connected port. */
export function routeLoopDone(rt: Runtime, lane: Lane, nodeId: string, output: unknown): void {
  routeOutcome(rt, lane, nodeId, { output, ports: ['done'] });
}
