/**
 * @module editor/canvas-model
 * The API definition ↔ React Flow's nodes and edges. A canvas node carries its API node whole
 * (`data.node`) and a canvas edge its API connection (`data.connection`), so the way back loses
 * nothing: the position is the only field the canvas itself changes.
 */
import type { Edge, Node } from '@xyflow/react';
import type { Connection, NodeTypeInfo, WorkflowNode } from '../api/types.ts';
import { type Catalog, inputPortsOf, outputPortsOf } from './node-catalog.ts';
import { connectionKey, type WorkflowDocument } from './workflow-document.ts';

/** What a node card shows besides the node itself. */
export interface NodeDecorations {
  readonly issues?: readonly string[];
  readonly trace?: { readonly status: string; readonly duration_seconds?: number | null };
  readonly pinned?: boolean;
}

export interface CanvasNodeData extends Record<string, unknown> {
  readonly id: string;
  readonly node: WorkflowNode;
  readonly info: NodeTypeInfo | undefined;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly decorations: NodeDecorations;
}

export interface CanvasEdgeData extends Record<string, unknown> {
  readonly connection: Connection;
}

export type CanvasNode = Node<CanvasNodeData, 'workflow'>;
export type CanvasEdge = Edge<CanvasEdgeData>;

const ORIGIN = { x: 0, y: 0 };

export function toCanvasNode(
  id: string,
  node: WorkflowNode,
  catalog: Catalog,
  decorations: NodeDecorations = {},
): CanvasNode {
  const info = catalog.get(node.node_type);
  return {
    id,
    type: 'workflow',
    position: node.position ?? ORIGIN,
    ariaLabel: `${node.label || id} (${node.node_type})`,
    className: node.enabled === false ? 'is-disabled' : undefined,
    data: { id, node, info, inputs: inputPortsOf(info), outputs: outputPortsOf(info, node), decorations },
  };
}

export function toCanvasEdge(connection: Connection, index: number): CanvasEdge {
  return {
    id: connectionKey(connection, index),
    source: connection.from_node_id,
    sourceHandle: connection.from_port_name,
    target: connection.to_node_id,
    targetHandle: connection.to_port_name,
    className: connection.enabled === false ? 'is-disabled' : undefined,
    ariaLabel: `Connection from ${connection.from_node_id} ${connection.from_port_name} to ${connection.to_node_id}`,
    data: { connection },
  };
}

export function toCanvas(
  doc: WorkflowDocument,
  catalog: Catalog,
  decorations: ReadonlyMap<string, NodeDecorations> = new Map(),
): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  return {
    nodes: Object.entries(doc.nodes).map(([id, node]) => toCanvasNode(id, node, catalog, decorations.get(id))),
    edges: doc.connections.map(toCanvasEdge),
  };
}

/** Back to the API's shape; a node keeps every field it had, with the canvas position. */
export function fromCanvas(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): WorkflowDocument {
  const out: Record<string, WorkflowNode> = {};
  for (const canvasNode of nodes) {
    const { node } = canvasNode.data;
    const moved = node.position?.x !== canvasNode.position.x || node.position?.y !== canvasNode.position.y;
    out[canvasNode.id] =
      moved && (node.position || canvasNode.position !== ORIGIN)
        ? { ...node, position: { x: canvasNode.position.x, y: canvasNode.position.y } }
        : node;
  }
  const connections = edges.map((edge) => {
    const connection = edge.data?.connection;
    const ends = {
      from_node_id: edge.source,
      from_port_name: edge.sourceHandle ?? 'output',
      to_node_id: edge.target,
      to_port_name: edge.targetHandle ?? 'input',
    };
    if (!connection) return { connection_id: edge.id, ...ends };
    const same =
      connection.from_node_id === ends.from_node_id &&
      connection.from_port_name === ends.from_port_name &&
      connection.to_node_id === ends.to_node_id &&
      connection.to_port_name === ends.to_port_name;
    return same ? connection : { ...connection, ...ends };
  });
  return { nodes: out, connections };
}
