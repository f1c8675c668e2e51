import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { getNodeType } from '../nodes/registry.ts';
import { type ValidationOptions, validateWorkflow as validateWith } from './validate.ts';
import type { Connection, WorkflowNode } from './workflow.ts';

const validateWorkflow = (definition: Parameters<typeof validateWith>[0], options?: ValidationOptions) =>
  validateWith(definition, getNodeType, options);

const TYPES = [
  'trigger_manual',
  'trigger_command',
  'condition_if',
  'condition_switch',
  'action_chat_message',
  'data_transform',
  'loop_foreach',
  'loop_while',
  'loop_break',
  'flow_merge',
  'flow_end',
  'mystery_type',
] as const;
const PORTS = ['output', 'error', 'true', 'false', 'loop', 'done', 'default', 'x'];
const STATIC_PORTS: Record<string, readonly string[]> = {
  trigger_manual: ['output'],
  condition_if: ['true', 'false'],
  action_chat_message: ['output', 'error'],
  data_transform: ['output', 'error'],
  loop_foreach: ['loop', 'done'],
  loop_while: ['loop', 'done'],
  flow_merge: ['output'],
};
const LOOPS = new Set(['loop_foreach', 'loop_while']);

const configArb = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(
    fc.constantFrom('command_name', 'expression', 'message', 'array_variable', 'variable', 'cases', 'rules', 'junk'),
    fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string()),
    ),
  ),
  fc.anything(),
);
const nodeArb = fc.record({ node_type: fc.constantFrom(...TYPES), config: configArb }, { requiredKeys: ['node_type'] });
const edgeArb = fc.record({
  from: fc.nat(),
  to: fc.nat(),
  port: fc.constantFrom(...PORTS),
  toPort: fc.constantFrom('input', 'input', 'input', 'side'),
  enabled: fc.boolean(),
  withId: fc.boolean(),
});

type EdgeSpec = typeof edgeArb extends fc.Arbitrary<infer T> ? T : never;

interface RandomGraph {
  readonly nodes: Record<string, WorkflowNode>;
  readonly connections: Connection[];
}

/** Node i is `n<i>`; an edge end past the last node points at a node that does not exist. */
function randomGraph(
  nodeList: readonly { node_type: string; config?: unknown }[],
  edges: readonly EdgeSpec[],
): RandomGraph {
  const ids = nodeList.map((_, index) => `n${index}`);
  const name = (index: number): string =>
    index % (ids.length + 1) === ids.length ? 'ghost' : ids[index % (ids.length + 1)];
  return {
    nodes: Object.fromEntries(nodeList.map((node, index) => [ids[index], node as WorkflowNode])),
    connections: edges.map((edge, index) => ({
      ...(edge.withId ? { connection_id: `c${index}` } : {}),
      from_node_id: name(edge.from),
      from_port_name: edge.port,
      to_node_id: name(edge.to),
      to_port_name: edge.toPort,
      ...(edge.enabled ? {} : { enabled: false }),
    })),
  };
}

const graphArb = fc
  .tuple(fc.array(nodeArb, { minLength: 0, maxLength: 14 }), fc.array(edgeArb, { maxLength: 30 }))
  .map(([nodes, edges]) => randomGraph(nodes, edges));

describe('validateWorkflow properties', () => {
  test('random graphs never crash it and the result is consistent', () => {
    fc.assert(
      fc.property(graphArb, fc.integer({ min: 1, max: 5 }), (graph, maxLoopDepth) => {
        const result = validateWorkflow(graph, { maxLoopDepth });
        assert.equal(result.error_count, result.errors.length);
        assert.equal(result.warning_count, result.warnings.length);
        assert.equal(result.is_valid, result.errors.length === 0);
        for (const [id, messages] of Object.entries(result.node_validation_errors)) {
          assert.ok(Object.hasOwn(graph.nodes, id));
          for (const message of messages) {
            assert.ok(result.errors.includes(message));
            assert.ok(message.includes(`'${id}'`));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test('any cycle that avoids loop nodes is reported, and only then', () => {
    const validGraphArb = fc
      .tuple(
        fc.array(fc.constantFrom(...Object.keys(STATIC_PORTS)), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.boolean()), { maxLength: 30 }),
      )
      .map(([types, picks]) => {
        const ids = types.map((_, index) => `n${index}`);
        const targets = ids.filter((_, index) => types[index] !== 'trigger_manual');
        const connections: Connection[] = [];
        for (const [from, to, port, enabled] of picks) {
          if (targets.length === 0) break;
          const source = from % ids.length;
          const ports = STATIC_PORTS[types[source]];
          connections.push({
            from_node_id: ids[source],
            from_port_name: ports[port % ports.length],
            to_node_id: targets[to % targets.length],
            to_port_name: 'input',
            ...(enabled ? {} : { enabled: false }),
          });
        }
        const nodes = Object.fromEntries(types.map((type, index) => [ids[index], { node_type: type } as WorkflowNode]));
        return { nodes, connections, types, ids };
      });
    fc.assert(
      fc.property(validGraphArb, ({ nodes, connections, types, ids }) => {
        const result = validateWorkflow({ nodes, connections });
        const reported = result.errors.some((error) => error.startsWith('Cycle through'));
        assert.equal(reported, hasCycleAvoidingLoops(ids, types, connections));
      }),
      { numRuns: 400 },
    );
  });

  test('renaming node ids changes nothing but the names in messages', () => {
    fc.assert(
      fc.property(graphArb, (graph) => {
        const rename = (id: string): string => id.replace(/^n(\d+)$/, 'step_$1_renamed');
        const renamed: RandomGraph = {
          nodes: Object.fromEntries(Object.entries(graph.nodes).map(([id, node]) => [rename(id), node])),
          connections: graph.connections.map((c) => ({
            ...c,
            from_node_id: rename(c.from_node_id),
            to_node_id: rename(c.to_node_id),
          })),
        };
        const original = validateWorkflow(graph);
        const other = validateWorkflow(renamed);
        const back = (message: string): string => message.replace(/step_(\d+)_renamed/g, 'n$1');
        assert.equal(other.is_valid, original.is_valid);
        assert.equal(other.error_count, original.error_count);
        assert.equal(other.warning_count, original.warning_count);
        assert.deepEqual(other.errors.map(back), original.errors);
        assert.deepEqual(other.warnings.map(back), original.warnings);
        assert.deepEqual(
          Object.entries(other.node_validation_errors).map(([id, messages]) => [back(id), messages.map(back)]),
          Object.entries(original.node_validation_errors),
        );
      }),
      { numRuns: 300 },
    );
  });
});

/** Oracle: repeatedly drop non-loop nodes without incoming edges (Kahn); a leftover means a cycle. */
function hasCycleAvoidingLoops(
  ids: readonly string[],
  types: readonly string[],
  connections: readonly Connection[],
): boolean {
  const kept = new Set(ids.filter((_, index) => !LOOPS.has(types[index])));
  const edges = connections.filter((c) => c.enabled !== false && kept.has(c.from_node_id) && kept.has(c.to_node_id));
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of [...kept]) {
      if (!edges.some((edge) => edge.to_node_id === id && kept.has(edge.from_node_id))) {
        kept.delete(id);
        changed = true;
      }
    }
  }
  return kept.size > 0;
}
