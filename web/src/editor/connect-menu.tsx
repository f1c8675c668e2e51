/**
 * @module editor/connect-menu
 * The keyboard way to wire nodes: pick one of this node's output ports and a node to connect it
 * to (only targets the port rules allow are offered); existing connections can be removed here.
 */
import { useMemo, useState } from 'react';
import { type EditorStore, edit, useEditor } from './editor-store.ts';
import { type Catalog, outputPortsOf } from './node-catalog.ts';
import { canConnect } from './port-rules.ts';
import { connect, connectionKey, removeElements, setConnectionEnabled } from './workflow-document.ts';

export function ConnectMenu({ store, catalog, nodeId }: { store: EditorStore; catalog: Catalog; nodeId: string }) {
  // The node and the connections, not the whole document: a drag elsewhere does not redraw this.
  const node = useEditor(store, (s) => s.history.present.nodes[nodeId]);
  const connections = useEditor(store, (s) => s.history.present.connections);
  const nodeCount = useEditor(store, (s) => Object.keys(s.history.present.nodes).length);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read when nodes are added or removed
  const doc = useMemo(
    () => ({ nodes: store.get().history.present.nodes, connections }),
    [store, connections, nodeCount],
  );
  const ports = node ? outputPortsOf(catalog.get(node.node_type), node) : [];
  const [port, setPort] = useState(ports[0] ?? '');
  const [target, setTarget] = useState('');
  const fromPort = ports.includes(port) ? port : (ports[0] ?? '');
  const targets = useMemo(
    () =>
      Object.entries(doc.nodes).filter(([id]) =>
        canConnect(doc, catalog, { source: nodeId, sourceHandle: fromPort, target: id, targetHandle: 'input' }),
      ),
    [doc, catalog, nodeId, fromPort],
  );
  if (!node || ports.length === 0) return null;
  const outgoing = doc.connections
    .map((c, index) => ({ c, key: connectionKey(c, index) }))
    .filter(({ c }) => c.from_node_id === nodeId);
  return (
    <section className="connect-menu" aria-label="Connections">
      <h3>Connect to…</h3>
      <div className="row">
        <label htmlFor="connect-port">From port</label>
        <select id="connect-port" value={fromPort} onChange={(event) => setPort(event.target.value)}>
          {ports.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <label htmlFor="connect-target">to</label>
        <select id="connect-target" value={target} onChange={(event) => setTarget(event.target.value)}>
          <option value="">choose a node…</option>
          {targets.map(([id, n]) => (
            <option key={id} value={id}>
              {n.label || id} ({n.node_type})
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!target}
          onClick={() => {
            edit(store, (d) =>
              connect(d, { from_node_id: nodeId, from_port_name: fromPort, to_node_id: target, to_port_name: 'input' }),
            );
            setTarget('');
          }}
        >
          Connect
        </button>
      </div>
      {outgoing.length > 0 && (
        <ul className="connections">
          {outgoing.map(({ c, key }) => (
            <li key={key}>
              <code>{c.from_port_name}</code> → {doc.nodes[c.to_node_id]?.label || c.to_node_id}
              {c.enabled === false && <span className="muted"> (disabled)</span>}{' '}
              <button
                type="button"
                className="link"
                onClick={() => edit(store, (d) => setConnectionEnabled(d, key, c.enabled === false))}
              >
                {c.enabled === false ? 'Enable' : 'Disable'}
              </button>{' '}
              <button
                type="button"
                className="link danger"
                aria-label={`Remove connection ${c.from_port_name} to ${c.to_node_id}`}
                onClick={() => edit(store, (d) => removeElements(d, new Set(), new Set([key])))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
