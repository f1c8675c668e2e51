/**
 * @module core/edges.fixture
 * The tests' one way to write a connection: `a -> b`, `a:port -> b:port` (the source port defaults
 * to `output`, the target port to `input`), and `a -> b!` for a disabled one. Validation and
 * engine tests, the integration tests' workflow builder and the browser tests all parse edges here.
 */
import type { Connection } from './workflow.ts';

const EDGE = /^\s*([^\s:]+)(?::(\S+))?\s*->\s*([^\s:!]+)(?::([^\s!]+))?(!?)\s*$/;

export function parseEdge(edge: string): Connection {
  const match = EDGE.exec(edge);
  if (!match) throw new Error(`bad edge "${edge}"`);
  const [, from, fromPort, to, toPort, disabled] = match;
  return {
    from_node_id: from,
    from_port_name: fromPort ?? 'output',
    to_node_id: to,
    to_port_name: toPort ?? 'input',
    ...(disabled ? { enabled: false } : {}),
  };
}
