import { describe, expect, it } from 'vitest';
import { listNodeTypes } from '../../../src/nodes/registry.ts';
import type { WorkflowNode } from '../api/types.ts';
import { fromCanvas, toCanvas } from './canvas-model.ts';
import { createCatalog, outputPortsOf } from './node-catalog.ts';
import type { WorkflowDocument } from './workflow-document.ts';

const types = listNodeTypes();
const catalog = createCatalog(types);

/** A node of each type with every optional field set, and one with none. */
function documentOfEveryType(): WorkflowDocument {
  const nodes: Record<string, WorkflowNode> = {};
  types.forEach((type, index) => {
    nodes[`full_${type.node_type}`] = {
      node_type: type.node_type,
      label: `Full ${type.node_type} ✓`,
      position: { x: index * 10.5, y: -index },
      config: { anything: { nested: [1, 'two', null, { deep: true }] }, message: '{{ username }}' },
      enabled: false,
      retry: { max_attempts: 3, backoff_ms: 100, max_backoff_ms: 1000 },
      timeout_seconds: 2.5,
    };
    nodes[`bare_${type.node_type}`] = { node_type: type.node_type };
  });
  const ids = Object.keys(nodes);
  const connections = ids.slice(1).map((id, index) => ({
    ...(index % 3 === 0 ? {} : { connection_id: `c${index}` }),
    from_node_id: ids[index],
    from_port_name: 'output',
    to_node_id: id,
    to_port_name: 'input',
    ...(index % 2 === 0 ? { enabled: false } : {}),
  }));
  return { nodes, connections };
}

describe('canvas model', () => {
  it('goes API → canvas → API without losing anything, for every node type', () => {
    const doc = documentOfEveryType();
    expect(types.length).toBeGreaterThanOrEqual(20);
    const { nodes, edges } = toCanvas(doc, catalog);
    expect(fromCanvas(nodes, edges)).toEqual(doc);
    // Nothing was copied: unchanged nodes and connections come back as the same objects.
    const back = fromCanvas(nodes, edges);
    for (const id of Object.keys(doc.nodes)) expect(back.nodes[id]).toBe(doc.nodes[id]);
    for (const [i, c] of back.connections.entries()) expect(c).toBe(doc.connections[i]);
  });

  it('draws one handle per port, names the node for assistive technology, marks disabled elements', () => {
    const doc = documentOfEveryType();
    const { nodes, edges } = toCanvas(doc, catalog);
    for (const node of nodes) {
      const info = catalog.get(node.data.node.node_type);
      expect(node.data.outputs).toEqual(outputPortsOf(info, node.data.node));
      expect(node.data.inputs).toEqual(info?.input_ports);
      expect(node.ariaLabel).toBe(`${node.data.node.label || node.id} (${node.data.node.node_type})`);
      expect(node.className).toBe(node.data.node.enabled === false ? 'is-disabled' : undefined);
    }
    expect(edges.filter((e) => e.className === 'is-disabled').length).toBe(
      doc.connections.filter((c) => c.enabled === false).length,
    );
    expect(nodes.find((n) => n.id === 'full_condition_if')?.data.outputs).toEqual(['true', 'false']);
  });

  it('takes a moved node and a re-wired edge back into the API shape', () => {
    const doc = documentOfEveryType();
    const { nodes, edges } = toCanvas(doc, catalog);
    nodes[0] = { ...nodes[0], position: { x: 500, y: 600 } };
    edges[0] = { ...edges[0], targetHandle: 'input', target: 'bare_flow_end' };
    const back = fromCanvas(nodes, edges);
    const first = Object.keys(doc.nodes)[0];
    expect(back.nodes[first]).toEqual({ ...doc.nodes[first], position: { x: 500, y: 600 } });
    expect(back.connections[0]).toEqual({ ...doc.connections[0], to_node_id: 'bare_flow_end' });
  });

  it('follows a switch node’s cases for its output ports', () => {
    const info = catalog.get('condition_switch');
    expect(
      outputPortsOf(info, { node_type: 'condition_switch', config: { cases: { a: 'first', b: 'other' } } }),
    ).toEqual(['first', 'other', 'default']);
    expect(outputPortsOf(info, { node_type: 'condition_switch', config: { cases: {}, default_port: 'else' } })).toEqual(
      ['else'],
    );
  });
});
