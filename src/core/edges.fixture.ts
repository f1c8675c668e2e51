/**
 * @module core/edges.fixture
 * The tests' one way to write a connection: `a -> b`, `a:port -> b` (the source port defaults to
 * `output`, the target port is `input`), and `a -> b!` for a disabled one. Engine tests, the
 * integration tests' workflow builder and the browser tests all parse edges here.
 */
import type { Connection } from './workflow.ts';

const EDGE = /^\s*([^\s:]+)(?::(\S+))?\s*->\s*(\S+)\s*$/;

export function parseEdge(edge: string): Connection {
  const match = EDGE.exec(edge);
  if (!match) throw new Error(`bad edge "${edge}"`);
  const disabled = match[3].endsWith('!');
  return {
    from_node_id: match[1],
    from_port_name: match[2] ?? 'output',
    to_node_id: disabled ? match[3].slice(0, -1) : match[3],
    to_port_name: 'input',
    ...(disabled ? { enabled: false } : {}),
  };
}
