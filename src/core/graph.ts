/**
 * @module core/graph
 * The graph algorithms validation needs: reachability, loop bodies and Tarjan's strongly
 * connected components. They work on integer indexes in definition order, so results are
 * deterministic and linear in the size of the graph; what a node means (a loop, a trigger) is
 * the caller's to say.
 */
import type { Connection, WorkflowDefinition } from './workflow.ts';

export type GraphInput = Pick<WorkflowDefinition, 'nodes' | 'connections'>;

/** Successor lists over node indexes. */
export interface Adjacency {
  readonly size: number;
  readonly successors: readonly (readonly number[])[];
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
