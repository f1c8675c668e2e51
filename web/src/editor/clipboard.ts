/**
 * @module editor/clipboard
 * Copy and paste as text in the API's own shape, `{"nodes": {...}, "connections": [...]}`, so a
 * selection moves between tabs, workflows and a text editor. Only connections inside the
 * selection are copied; pasting gives every node and connection a new id and shifts positions.
 * An exported workflow (`workflow-core/1`, also the Import dialog's input) pastes the same way; its
 * references to other workflows, which only resolve on import, are left for the user to pick.
 */
import { PORTABLE_FORMAT, type PortableWorkflow, SECRET_MASK } from '../../../src/core/portable.ts';
import type { Connection, WorkflowNode } from '../api/types.ts';
import { freeConnectionId, freeNodeId, type WorkflowDocument } from './workflow-document.ts';

export interface Clip {
  readonly nodes: Readonly<Record<string, WorkflowNode>>;
  readonly connections: readonly Connection[];
  /** When the text was an exported workflow: its name and what it refers to by name. */
  readonly source?: {
    readonly name: string;
    readonly credentials: readonly string[];
    readonly workflows: readonly string[];
    /** Nodes whose literal secrets the export masked: they need their values typed again. */
    readonly masked: readonly string[];
  };
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

/** JSON text as an object, out of the API's `{data: …}` envelope when it is in one; null if not an object. */
export function readJsonObject(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  return isObject(value.data) ? value.data : value;
}

/** An exported workflow document (its shape; the server checks the rest on import), or null. */
export function readPortable(text: string): PortableWorkflow | null {
  const value = readJsonObject(text);
  if (!value || value.format !== PORTABLE_FORMAT || !isObject(value.nodes) || !Array.isArray(value.connections))
    return null;
  return value as unknown as PortableWorkflow;
}

const strings = (list: unknown): string[] =>
  Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : [];

function holdsMask(value: unknown, depth = 0): boolean {
  if (value === SECRET_MASK) return true;
  if (value === null || typeof value !== 'object' || depth > 64) return false;
  return Object.values(value).some((item) => holdsMask(item, depth + 1));
}

/** The nodes of an exported document that hold a masked secret (`••••••`), in order. */
export function maskedNodes(nodes: Readonly<Record<string, { readonly config?: unknown }>>): string[] {
  return Object.entries(nodes)
    .filter(([, node]) => holdsMask(node.config))
    .map(([id]) => id);
}

/** A config without the fields holding one of `refs` (an export's stand-ins for called workflows). */
function withoutRefs(config: Record<string, unknown> | undefined, refs: ReadonlySet<string>) {
  if (!config || refs.size === 0) return config;
  const kept = Object.entries(config).filter(([, value]) => !(typeof value === 'string' && refs.has(value)));
  return kept.length === Object.keys(config).length ? config : Object.fromEntries(kept);
}

/** Reads pasted text: a clip, a whole workflow or an exported one (nodes and connections); null if none. */
export function parseClip(text: string): Clip | null {
  const source = readJsonObject(text);
  if (!source || !isObject(source.nodes)) return null;
  const portable = source.format === PORTABLE_FORMAT;
  const workflowRefs = portable && Array.isArray(source.workflows) ? source.workflows.filter(isObject) : [];
  const refs = new Set(workflowRefs.map((w) => w.ref).filter((ref): ref is string => typeof ref === 'string'));
  const nodes: Record<string, WorkflowNode> = {};
  for (const [id, node] of Object.entries(source.nodes)) {
    if (!isObject(node) || typeof node.node_type !== 'string') return null;
    const config = withoutRefs(isObject(node.config) ? node.config : undefined, refs);
    nodes[id] = (config === node.config ? node : { ...node, config }) as unknown as WorkflowNode;
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
  if (!portable) return { nodes, connections };
  const name = typeof source.name === 'string' ? source.name : '';
  const workflows = workflowRefs.map((w) => (typeof w.name === 'string' && w.name) || String(w.ref));
  const credentials = strings(source.credentials);
  return { nodes, connections, source: { name, credentials, workflows, masked: maskedNodes(nodes) } };
}

/**
 * What the editor says after pasting an exported workflow: what it brought, what to fill in.
 * `ids` are the pasted nodes' new ids, in the clip's order (as pasteClip answers them).
 */
export function pasteNotice(clip: Clip, ids: readonly string[] = Object.keys(clip.nodes)): string | null {
  if (!clip.source) return null;
  const order = Object.keys(clip.nodes);
  const newId = (id: string) => ids[order.indexOf(id)] ?? id;
  const count = Object.keys(clip.nodes).length;
  const parts = [`Pasted ${count} ${count === 1 ? 'node' : 'nodes'} from "${clip.source.name}".`];
  if (clip.source.credentials.length)
    parts.push(`It uses the credentials ${clip.source.credentials.join(', ')} (see Credentials).`);
  if (clip.source.workflows.length)
    parts.push(`Pick the workflows it called (${clip.source.workflows.join(', ')}) in the nodes that call them.`);
  if (clip.source.masked.length) parts.push(maskedSentence(clip.source.masked.map(newId)));
  return parts.join(' ');
}

/** Shared by the paste and the import notices. */
export function maskedSentence(nodeIds: readonly string[]): string {
  return `The export masked secrets (${SECRET_MASK}) in ${nodeIds.join(', ')}: type them again, or use a credential.`;
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
