/**
 * @module editor/tidy-layout
 * Tidy-up: dagre lays the graph out left to right, triggers in the first rank.
 */
import dagre from '@dagrejs/dagre';
import type { Catalog } from './node-catalog.ts';
import type { Position, WorkflowDocument } from './workflow-document.ts';

export const NODE_SIZE = { width: 200, height: 72 };

export function tidyPositions(
  doc: WorkflowDocument,
  catalog: Catalog,
  sizes: ReadonlyMap<string, { width: number; height: number }> = new Map(),
): Map<string, Position> {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = Object.keys(doc.nodes);
  for (const id of ids) {
    const size = sizes.get(id) ?? NODE_SIZE;
    graph.setNode(id, { width: size.width, height: size.height });
  }
  doc.connections.forEach((c, index) => {
    if (doc.nodes[c.from_node_id] && doc.nodes[c.to_node_id])
      graph.setEdge(c.from_node_id, c.to_node_id, {}, `e${index}`);
  });
  // Triggers first: a trigger has no incoming edge, so dagre already ranks it leftmost; an
  // invisible root in front of all triggers keeps them in one column when branches differ in depth.
  const triggers = ids.filter((id) => catalog.get(doc.nodes[id].node_type)?.category === 'trigger');
  if (triggers.length > 1) {
    graph.setNode('__root__', { width: 1, height: 1 });
    for (const id of triggers) graph.setEdge('__root__', id, { minlen: 1 }, `root-${id}`);
  }
  dagre.layout(graph);
  const positions = new Map<string, Position>();
  for (const id of ids) {
    const placed = graph.node(id);
    const size = sizes.get(id) ?? NODE_SIZE;
    positions.set(id, { x: Math.round(placed.x - size.width / 2), y: Math.round(placed.y - size.height / 2) });
  }
  return positions;
}
