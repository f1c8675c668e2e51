/**
 * @module editor/workflow-document
 * The working definition the editor edits (nodes keyed by id, connections), in the API's own
 * shape, and every change to it as a plain function returning a new document. Unchanged nodes
 * keep their identity, so the canvas redraws only what changed.
 */
import type { Connection, WorkflowNode } from '../api/types.ts';

export interface WorkflowDocument {
  readonly nodes: Readonly<Record<string, WorkflowNode>>;
  readonly connections: readonly Connection[];
}

export const EMPTY_DOCUMENT: WorkflowDocument = { nodes: {}, connections: [] };

export interface Position {
  readonly x: number;
  readonly y: number;
}

/** A readable id that is free in `taken`: `condition_if_1`, `condition_if_2`, … */
export function freeNodeId(nodeType: string, taken: ReadonlySet<string> | Readonly<Record<string, unknown>>): string {
  const has = (id: string) => (taken instanceof Set ? taken.has(id) : Object.hasOwn(taken, id));
  const base = nodeType.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 56) || 'node';
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!has(id)) return id;
  }
}

export function freeConnectionId(connections: readonly Connection[], taken: Set<string> = new Set()): string {
  for (const c of connections) if (c.connection_id) taken.add(c.connection_id);
  for (let n = connections.length + 1; ; n++) {
    const id = `conn_${n}`;
    if (!taken.has(id)) return id;
  }
}

export function addNode(doc: WorkflowDocument, id: string, node: WorkflowNode): WorkflowDocument {
  return { ...doc, nodes: { ...doc.nodes, [id]: node } };
}

export function updateNode(
  doc: WorkflowDocument,
  id: string,
  change: (node: WorkflowNode) => WorkflowNode,
): WorkflowDocument {
  const node = doc.nodes[id];
  if (!node) return doc;
  const next = change(node);
  return next === node ? doc : { ...doc, nodes: { ...doc.nodes, [id]: next } };
}

/** Sets or clears (undefined) one top-level field of a node: label, enabled, retry, timeout_seconds, config. */
export function setNodeField<K extends keyof WorkflowNode>(
  doc: WorkflowDocument,
  id: string,
  field: K,
  value: WorkflowNode[K] | undefined,
): WorkflowDocument {
  return updateNode(doc, id, (node) => {
    if (node[field] === value) return node;
    const next = { ...node };
    if (value === undefined) delete next[field];
    else next[field] = value;
    return next;
  });
}

export function moveNodes(doc: WorkflowDocument, positions: ReadonlyMap<string, Position>): WorkflowDocument {
  let nodes: Record<string, WorkflowNode> | null = null;
  for (const [id, position] of positions) {
    const node = doc.nodes[id];
    if (!node || (node.position?.x === position.x && node.position?.y === position.y)) continue;
    nodes ??= { ...doc.nodes };
    nodes[id] = { ...node, position: { x: position.x, y: position.y } };
  }
  return nodes ? { ...doc, nodes } : doc;
}

export function sameEnds(a: Connection, b: Omit<Connection, 'connection_id'>): boolean {
  return (
    a.from_node_id === b.from_node_id &&
    a.from_port_name === b.from_port_name &&
    a.to_node_id === b.to_node_id &&
    a.to_port_name === b.to_port_name
  );
}

export function connect(doc: WorkflowDocument, ends: Omit<Connection, 'connection_id'>): WorkflowDocument {
  if (doc.connections.some((c) => sameEnds(c, ends))) return doc;
  const connection: Connection = { connection_id: freeConnectionId(doc.connections), ...ends };
  return { ...doc, connections: [...doc.connections, connection] };
}

/** Removes nodes (and every connection touching them) and connections (by id or index key). */
export function removeElements(
  doc: WorkflowDocument,
  nodeIds: ReadonlySet<string>,
  connectionKeys: ReadonlySet<string> = new Set(),
): WorkflowDocument {
  if (nodeIds.size === 0 && connectionKeys.size === 0) return doc;
  const nodes: Record<string, WorkflowNode> = {};
  for (const [id, node] of Object.entries(doc.nodes)) if (!nodeIds.has(id)) nodes[id] = node;
  const connections = doc.connections.filter(
    (c, index) =>
      !nodeIds.has(c.from_node_id) && !nodeIds.has(c.to_node_id) && !connectionKeys.has(connectionKey(c, index)),
  );
  return { ...doc, nodes, connections };
}

/** The id a connection has on the canvas: its connection_id, or its place in the list. */
export function connectionKey(connection: Connection, index: number): string {
  return connection.connection_id ?? `#${index}`;
}

export function setConnectionEnabled(doc: WorkflowDocument, key: string, enabled: boolean): WorkflowDocument {
  return {
    ...doc,
    connections: doc.connections.map((c, index) => {
      if (connectionKey(c, index) !== key) return c;
      const next = { ...c };
      if (enabled) delete next.enabled;
      else next.enabled = false;
      return next;
    }),
  };
}
