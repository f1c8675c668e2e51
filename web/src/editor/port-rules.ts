/**
 * @module editor/port-rules
 * Which connections the node types allow, checked while a connection is dragged: from an output
 * port to an input port of another node, never into a trigger, never twice the same.
 */

import { type Catalog, inputPortsOf, outputPortsOf } from './node-catalog.ts';
import type { WorkflowDocument } from './workflow-document.ts';

export interface PortLink {
  readonly source: string | null;
  readonly sourceHandle?: string | null;
  readonly target: string | null;
  readonly targetHandle?: string | null;
}

/** Why the connection is refused, or null when it is allowed. */
export function connectionProblem(doc: WorkflowDocument, catalog: Catalog, link: PortLink): string | null {
  const { source, target } = link;
  if (!source || !target) return 'both ends must be nodes';
  const from = doc.nodes[source];
  const to = doc.nodes[target];
  if (!from || !to) return 'both ends must be nodes';
  if (source === target) return 'a node cannot connect to itself';
  const outputs = outputPortsOf(catalog.get(from.node_type), from);
  const fromPort = link.sourceHandle ?? outputs[0];
  if (!fromPort || !outputs.includes(fromPort)) return `${source} has no output port '${fromPort ?? ''}'`;
  const inputs = inputPortsOf(catalog.get(to.node_type));
  if (inputs.length === 0) return `${target} (${to.node_type}) takes no input`;
  const toPort = link.targetHandle ?? inputs[0];
  if (!inputs.includes(toPort)) return `${target} has no input port '${toPort}'`;
  const duplicate = doc.connections.some(
    (c) =>
      c.from_node_id === source &&
      c.from_port_name === fromPort &&
      c.to_node_id === target &&
      c.to_port_name === toPort,
  );
  return duplicate ? 'these ports are already connected' : null;
}

export function canConnect(doc: WorkflowDocument, catalog: Catalog, link: PortLink): boolean {
  return connectionProblem(doc, catalog, link) === null;
}
