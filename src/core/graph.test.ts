import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adjacencyOf, buildGraph, cyclicComponents, outgoingConnections, reachableFrom } from './graph.ts';
import type { Connection, WorkflowNode } from './workflow.ts';

function connect(spec: string, enabled = true): Connection {
  const [from, to] = spec.split('->');
  const [fromNode, port] = from.split('.');
  return {
    from_node_id: fromNode,
    from_port_name: port,
    to_node_id: to,
    to_port_name: 'input',
    ...(enabled ? {} : { enabled: false }),
  };
}
function nodes(types: Record<string, string>): Record<string, WorkflowNode> {
  return Object.fromEntries(Object.entries(types).map(([id, node_type]) => [id, { node_type }]));
}

describe('buildGraph', () => {
  const definition = {
    nodes: nodes({
      start: 'trigger_manual',
      hook: 'trigger_webhook',
      each: 'loop_foreach',
      inner: 'loop_while',
      say: 'action_chat_message',
      stop: 'loop_break',
      after: 'flow_end',
      lonely: 'data_variable_set',
    }),
    connections: [
      connect('start.output->each'),
      connect('hook.output->each'),
      connect('each.loop->inner'),
      connect('inner.loop->say'),
      connect('say.output->stop'),
      connect('inner.done->each'),
      connect('each.done->after'),
      connect('each.done->lonely', false),
      connect('ghost.output->after'),
    ],
  };
  const graph = buildGraph(definition);

  test('lists nodes in definition order and triggers', () => {
    assert.deepEqual(graph.nodeIds, ['start', 'hook', 'each', 'inner', 'say', 'stop', 'after', 'lonely']);
    assert.deepEqual(graph.triggerIds, ['start', 'hook']);
  });

  test('outgoing per port in connection order; disabled and dangling connections left out', () => {
    assert.deepEqual(
      outgoingConnections(graph, 'each', 'done').map((c) => c.to_node_id),
      ['after'],
    );
    assert.deepEqual(
      outgoingConnections(graph, 'each', 'loop').map((c) => c.to_node_id),
      ['inner'],
    );
    assert.deepEqual(outgoingConnections(graph, 'say', 'error'), []);
    assert.deepEqual(
      graph.incoming.get('each')?.map((c) => c.from_node_id),
      ['start', 'hook', 'inner'],
    );
    assert.deepEqual(
      graph.incoming.get('after')?.map((c) => c.from_node_id),
      ['each'],
    );
    assert.deepEqual(graph.incoming.get('lonely'), []);
  });

  test('loop bodies stop at their loop node and include nested loops', () => {
    assert.deepEqual([...(graph.loopBodies.get('inner') ?? [])].sort(), ['say', 'stop']);
    assert.deepEqual([...(graph.loopBodies.get('each') ?? [])].sort(), ['inner', 'say', 'stop']);
  });
});

describe('graph algorithms', () => {
  test('cyclicComponents finds cycles, self-loops, and respects the include filter', () => {
    // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 5
    const adjacency = adjacencyOf(6, [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 2, to: 0 },
      { from: 3, to: 3 },
      { from: 4, to: 5 },
    ]);
    assert.deepEqual(
      cyclicComponents(adjacency, () => true),
      [[0, 1, 2], [3]],
    );
    assert.deepEqual(
      cyclicComponents(adjacency, (node) => node !== 1),
      [[3]],
    );
  });

  test('cyclicComponents handles a long chain without recursion', () => {
    const size = 100_000;
    const edges = Array.from({ length: size }, (_, index) => ({ from: index, to: (index + 1) % size }));
    const components = cyclicComponents(adjacencyOf(size, edges), () => true);
    assert.equal(components.length, 1);
    assert.equal(components[0].length, size);
  });

  test('reachableFrom marks what starts reach, never entering the blocked node', () => {
    const adjacency = adjacencyOf(4, [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 3, to: 2 },
    ]);
    assert.deepEqual([...reachableFrom(adjacency, [0])], [1, 1, 1, 0]);
    assert.deepEqual([...reachableFrom(adjacency, [0], 1)], [1, 0, 0, 0]);
  });
});
