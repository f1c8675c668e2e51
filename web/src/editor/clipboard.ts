/**
 * @module editor/clipboard
 * Copy and paste as text in the API's own shape, `{"nodes": {...}, "connections": [...]}`, so a
 * selection moves between tabs, workflows and a text editor. Only connections inside the
 * selection are copied; pasting gives every node and connection a new id and shifts positions.
 */
import type { Connection, WorkflowNode } from '../api/types.ts';
import { freeConnectionId, freeNodeId, type WorkflowDocument } from './workflow-document.ts';

export interface Clip {
  readonly nodes: Readonly<Record<string, WorkflowNode>>;
  readonly connections: readonly Connection[];
}

export function copySelection(doc: WorkflowDocument, ids: ReadonlySet<string>): Clip {
  const nodes: Record<string, WorkflowNode> = {};
  for (const id of ids) if (doc.nodes[id]) nodes[id] = doc.nodes[id];
  const connections = doc.connections.filter((c) => nodes[c.from_node_id] && nodes[c.to_node_id]);
  return { nodes, connections };
}

export function serializeClip(clip: Clip): string {
  return JSON.stringify(clip, null, 2);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads pasted text: a clip, or a whole workflow (its nodes and connections); null if neither. */
export function parseClip(text: string): Clip | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  const source = isObject(value.data) ? value.data : value;
  if (!isObject(source.nodes)) return null;
  const nodes: Record<string, WorkflowNode> = {};
  for (const [id, node] of Object.entries(source.nodes)) {
    if (!isObject(node) || typeof node.node_type !== 'string') return null;
    nodes[id] = node as unknown as WorkflowNode;
  }
  const list = Array.isArray(source.connections) ? source.connections : [];
  const connections = list.filter(
    (c): c is Connection =>
      isObject(c) &&
      typeof c.from_node_id === 'string' &&
      typeof c.to_node_id === 'string' &&
      typeof c.from_port_name === 'string' &&
      typeof c.to_port_name === 'string' &&
      Boolean(nodes[c.from_node_id]) &&
      Boolean(nodes[c.to_node_id]),
  );
  return { nodes, connections };
}

export const PASTE_OFFSET = 40;

/**
 * Adds the clip to the document under fresh ids (nodes keep their type-based names, numbered on),
 * shifted by `offset`. Answers the new document and the new node ids (to select them).
 */
export function pasteClip(
  doc: WorkflowDocument,
  clip: Clip,
  offset: { x: number; y: number } = { x: PASTE_OFFSET, y: PASTE_OFFSET },
): { doc: WorkflowDocument; ids: string[] } {
  const taken = new Set(Object.keys(doc.nodes));
  const renamed = new Map<string, string>();
  const nodes = { ...doc.nodes };
  for (const [oldId, node] of Object.entries(clip.nodes)) {
    const id = freeNodeId(node.node_type, taken);
    taken.add(id);
    renamed.set(oldId, id);
    const position = node.position ?? { x: 0, y: 0 };
    nodes[id] = { ...node, position: { x: position.x + offset.x, y: position.y + offset.y } };
  }
  const connections = [...doc.connections];
  const takenConnections = new Set<string>();
  for (const c of clip.connections) {
    const connection_id = freeConnectionId(connections, takenConnections);
    takenConnections.add(connection_id);
    connections.push({
      ...c,
      connection_id,
      from_node_id: renamed.get(c.from_node_id) ?? c.from_node_id,
      to_node_id: renamed.get(c.to_node_id) ?? c.to_node_id,
    });
  }
  return { doc: { nodes, connections }, ids: [...renamed.values()] };
}
