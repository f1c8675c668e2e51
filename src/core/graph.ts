/**
 * @module core/graph
 * The workflow as a graph: outgoing connections per (node, port) in connection order, incoming
 * connections per node, trigger nodes and loop bodies, plus the algorithms validation needs
 * (reachability, Tarjan's strongly connected components). Only enabled connections between
 * existing nodes count. Algorithms work on integer indexes in definition order, so results are
 * deterministic and linear in the size of the graph.
 */
import { getNodeType } from '../nodes/registry.ts';
import type { Connection, WorkflowDefinition } from './workflow.ts';

/** Loop nodes own a body: what hangs off their `loop` port. Cycles must pass through one of them. */
export const LOOP_NODE_TYPES: ReadonlySet<string> = new Set(['loop_foreach', 'loop_while']);
export const LOOP_BODY_PORT = 'loop';

export type GraphInput = Pick<WorkflowDefinition, 'nodes' | 'connections'>;

/** Successor lists over node indexes. */
export interface Adjacency {
  readonly size: number;
  readonly successors: readonly (readonly number[])[];
}

export interface WorkflowGraph {
  /** Node ids in definition order. */
  readonly nodeIds: readonly string[];
  /** node id → port → enabled connections leaving it, in connection order. */
  readonly outgoing: ReadonlyMap<string, ReadonlyMap<string, readonly Connection[]>>;
  /** node id → enabled connections arriving at it, in connection order. */
  readonly incoming: ReadonlyMap<string, readonly Connection[]>;
  readonly triggerIds: readonly string[];
  /** loop node id → ids of the nodes in its body (reachable from `loop` before returning to it). */
  readonly loopBodies: ReadonlyMap<string, ReadonlySet<string>>;
}

export function isEnabled(connection: Connection): boolean {
  return connection.enabled !== false;
}

export function adjacencyOf(size: number, edges: Iterable<{ readonly from: number; readonly to: number }>): Adjacency {
  const successors: number[][] = Array.from({ length: size }, () => []);
  for (const edge of edges) successors[edge.from].push(edge.to);
  return { size, successors };
}

/** Marks (1) every node reachable from `starts`, never entering `blocked`. */
export function reachableFrom(adjacency: Adjacency, starts: Iterable<number>, blocked = -1): Uint8Array {
  const seen = new Uint8Array(adjacency.size);
  const queue: number[] = [];
  for (const start of starts) {
    if (start === blocked || seen[start]) continue;
    seen[start] = 1;
    queue.push(start);
  }
  for (let head = 0; head < queue.length; head += 1) {
    for (const next of adjacency.successors[queue[head]]) {
      if (next === blocked || seen[next]) continue;
      seen[next] = 1;
      queue.push(next);
    }
  }
  return seen;
}

/** A loop's body: nodes reachable from the targets of its `loop` port without passing the loop node. */
export function loopBody(adjacency: Adjacency, loopNode: number, bodyStarts: readonly number[]): number[] {
  const seen = reachableFrom(adjacency, bodyStarts, loopNode);
  const body: number[] = [];
  for (let node = 0; node < seen.length; node += 1) if (seen[node]) body.push(node);
  return body;
}

/**
 * Tarjan's algorithm (iterative, so long chains cannot overflow the stack) over the nodes for which
 * `include` holds. Returns only components that contain a cycle (several nodes, or a self-loop),
 * each sorted in definition order.
 */
export function cyclicComponents(adjacency: Adjacency, include: (node: number) => boolean): number[][] {
  const size = adjacency.size;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const nextEdge = new Int32Array(size);
  const stack: number[] = [];
  const calls: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (node: number): void => {
    index[node] = counter;
    low[node] = counter;
    counter += 1;
    stack.push(node);
    onStack[node] = 1;
    calls.push(node);
  };
  for (let root = 0; root < size; root += 1) {
    if (index[root] !== -1 || !include(root)) continue;
    visit(root);
    while (calls.length > 0) {
      const node = calls[calls.length - 1];
      const successors = adjacency.successors[node];
      if (nextEdge[node] < successors.length) {
        const next = successors[nextEdge[node]];
        nextEdge[node] += 1;
        if (!include(next)) continue;
        if (index[next] === -1) visit(next);
        else if (onStack[next]) low[node] = Math.min(low[node], index[next]);
        continue;
      }
      calls.pop();
      if (calls.length > 0) {
        const parent = calls[calls.length - 1];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] !== index[node]) continue;
      const component: number[] = [];
      let member: number;
      do {
        member = stack.pop() as number;
        onStack[member] = 0;
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || successors.includes(node)) components.push(component.sort((a, b) => a - b));
    }
  }
  return components;
}

/** The graph the engine walks: enabled connections between existing nodes, ports as given. */
export function buildGraph(definition: GraphInput): WorkflowGraph {
  const nodeIds = Object.keys(definition.nodes);
  const position = new Map(nodeIds.map((id, index) => [id, index]));
  const outgoing = new Map<string, Map<string, Connection[]>>(nodeIds.map((id) => [id, new Map()]));
  const incoming = new Map<string, Connection[]>(nodeIds.map((id) => [id, []]));
  const edges: { from: number; to: number }[] = [];
  const bodyStarts = new Map<number, number[]>();
  for (const connection of definition.connections ?? []) {
    const from = position.get(connection.from_node_id);
    const to = position.get(connection.to_node_id);
    if (from === undefined || to === undefined || !isEnabled(connection)) continue;
    const ports = outgoing.get(connection.from_node_id) as Map<string, Connection[]>;
    const list = ports.get(connection.from_port_name) ?? [];
    list.push(connection);
    ports.set(connection.from_port_name, list);
    incoming.get(connection.to_node_id)?.push(connection);
    edges.push({ from, to });
    if (connection.from_port_name === LOOP_BODY_PORT) bodyStarts.set(from, [...(bodyStarts.get(from) ?? []), to]);
  }
  const adjacency = adjacencyOf(nodeIds.length, edges);
  const loopBodies = new Map<string, ReadonlySet<string>>();
  const triggerIds: string[] = [];
  nodeIds.forEach((id, index) => {
    const type = definition.nodes[id].node_type;
    if (getNodeType(type)?.category === 'trigger') triggerIds.push(id);
    if (!LOOP_NODE_TYPES.has(type)) return;
    const body = loopBody(adjacency, index, bodyStarts.get(index) ?? []);
    loopBodies.set(id, new Set(body.map((member) => nodeIds[member])));
  });
  return { nodeIds, outgoing, incoming, triggerIds, loopBodies };
}

/** The enabled connections leaving `nodeId` through `port`, in connection order. */
export function outgoingConnections(graph: WorkflowGraph, nodeId: string, port: string): readonly Connection[] {
  return graph.outgoing.get(nodeId)?.get(port) ?? [];
}
