/**
 * @module engine/plan
 * The graph as the walk needs it, built once per definition object and cached: nodes with their
 * enabled outgoing connections (in connection order, grouped by port), incoming connections, and
 * forward reachability bitsets computed on demand (skip waves ask "can a pending token still get
 * here?"). Kept inside the engine so the walk does not depend on core/graph.ts. Which nodes
 * are joins, and how many inputs they need, the node types declare.
 */
import type { Connection, WorkflowDefinition, WorkflowNode } from '../core/workflow.ts';
import type { NodeTypeLookup } from '../nodes/node-type.ts';

export interface PlanConnection {
  /** Index in definition.connections: stable across restarts, used in checkpoints. */
  readonly index: number;
  readonly from: string;
  readonly fromPort: string;
  readonly to: string;
}

export interface PlanNode {
  readonly id: string;
  readonly index: number;
  readonly node: WorkflowNode;
  readonly config: Record<string, unknown>;
  /** The type's structure is `join`: it waits for its live incoming branches. */
  readonly isJoin: boolean;
  /** Joins: the live branches that fire it (N > 0), or -1 for all of them. */
  readonly joinInputs: number;
  /** Enabled outgoing connections in connection order. */
  readonly outgoing: readonly PlanConnection[];
  readonly outByPort: ReadonlyMap<string, readonly PlanConnection[]>;
  readonly incoming: readonly PlanConnection[];
}

export interface ExecutionPlan {
  readonly nodes: ReadonlyMap<string, PlanNode>;
  readonly ordered: readonly PlanNode[];
  readonly connections: readonly (PlanConnection | undefined)[];
  /** Memo of reach bitsets by node index. */
  readonly reach: (Uint32Array | undefined)[];
}

const EMPTY_CONFIG: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
/** Per node-type catalog, per definition object (the service has one catalog, tests their own). */
const plans = new WeakMap<NodeTypeLookup, WeakMap<WorkflowDefinition, ExecutionPlan>>();

function isEnabled(connection: Connection): boolean {
  return connection.enabled !== false;
}

function compile(definition: WorkflowDefinition, nodeTypes: NodeTypeLookup): ExecutionPlan {
  const ids = Object.keys(definition.nodes);
  const outgoing = new Map<string, PlanConnection[]>(ids.map((id) => [id, []]));
  const incoming = new Map<string, PlanConnection[]>(ids.map((id) => [id, []]));
  const connections: (PlanConnection | undefined)[] = [];
  definition.connections.forEach((connection, index) => {
    if (!isEnabled(connection) || !outgoing.has(connection.from_node_id) || !incoming.has(connection.to_node_id)) {
      connections.push(undefined);
      return;
    }
    const planned: PlanConnection = {
      index,
      from: connection.from_node_id,
      fromPort: connection.from_port_name,
      to: connection.to_node_id,
    };
    connections.push(planned);
    outgoing.get(planned.from)?.push(planned);
    incoming.get(planned.to)?.push(planned);
  });
  const nodes = new Map<string, PlanNode>();
  const ordered = ids.map((id, index) => {
    const node = definition.nodes[id];
    const out = outgoing.get(id) ?? [];
    const outByPort = new Map<string, PlanConnection[]>();
    for (const connection of out) {
      const list = outByPort.get(connection.fromPort);
      if (list) list.push(connection);
      else outByPort.set(connection.fromPort, [connection]);
    }
    const config = node.config ?? EMPTY_CONFIG;
    const type = nodeTypes(node.node_type);
    const isJoin = type?.structure === 'join';
    const planned: PlanNode = {
      id,
      index,
      node,
      config,
      isJoin,
      joinInputs: isJoin ? (type?.joinInputs?.(config) ?? -1) : -1,
      outgoing: out,
      outByPort,
      incoming: incoming.get(id) ?? [],
    };
    nodes.set(id, planned);
    return planned;
  });
  return { nodes, ordered, connections, reach: new Array(ids.length) };
}

export function buildPlan(definition: WorkflowDefinition, nodeTypes: NodeTypeLookup): ExecutionPlan {
  let byDefinition = plans.get(nodeTypes);
  if (!byDefinition) {
    byDefinition = new WeakMap();
    plans.set(nodeTypes, byDefinition);
  }
  let plan = byDefinition.get(definition);
  if (!plan) {
    plan = compile(definition, nodeTypes);
    byDefinition.set(definition, plan);
  }
  return plan;
}

/** Node ids reachable from `starts` (the starts included). */
export function reachableFrom(plan: ExecutionPlan, starts: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const todo = starts.filter((id) => plan.nodes.has(id));
  while (todo.length > 0) {
    const id = todo.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const connection of plan.nodes.get(id)?.outgoing ?? []) if (!seen.has(connection.to)) todo.push(connection.to);
  }
  return seen;
}

export function newBitset(plan: ExecutionPlan): Uint32Array {
  return new Uint32Array((plan.ordered.length + 31) >>> 5);
}

export function bitsetHas(bits: Uint32Array, index: number): boolean {
  return (bits[index >>> 5] & (1 << (index & 31))) !== 0;
}

/** Bitset of the nodes reachable from `node` (itself included), memoised per plan. */
export function reachBits(plan: ExecutionPlan, node: PlanNode): Uint32Array {
  const memo = plan.reach[node.index];
  if (memo) return memo;
  const bits = newBitset(plan);
  const todo: PlanNode[] = [node];
  while (todo.length > 0) {
    const current = todo.pop() as PlanNode;
    if (bitsetHas(bits, current.index)) continue;
    bits[current.index >>> 5] |= 1 << (current.index & 31);
    for (const connection of current.outgoing) {
      const next = plan.nodes.get(connection.to) as PlanNode;
      if (!bitsetHas(bits, next.index)) todo.push(next);
    }
  }
  plan.reach[node.index] = bits;
  return bits;
}

export function orInto(target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i] |= source[i];
}
