import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getNodeType } from '../nodes/registry.ts';
import { parseEdge } from './edges.fixture.ts';
import { type ValidationOptions, validateWorkflow as validateWith } from './validate.ts';
import type { Connection, WorkflowNode } from './workflow.ts';

const validateWorkflow = (definition: Parameters<typeof validateWith>[0], options?: ValidationOptions) =>
  validateWith(definition, getNodeType, options);

type NodeSpec = string | [string, Record<string, unknown>];

/** `edges` as core/edges.fixture writes them: 'a -> b', 'a:port -> b:port'; ids c1, c2, … in order. */
function workflow(specs: Record<string, NodeSpec>, edges: string[] = [], extra: Connection[] = []) {
  const nodes: Record<string, WorkflowNode> = {};
  for (const [id, spec] of Object.entries(specs)) {
    nodes[id] = typeof spec === 'string' ? { node_type: spec, config: {} } : { node_type: spec[0], config: spec[1] };
  }
  const connections: Connection[] = edges.map((edge, index) => ({
    connection_id: `c${index + 1}`,
    ...parseEdge(edge),
  }));
  return { nodes, connections: [...connections, ...extra] };
}

const trigger: NodeSpec = ['trigger_command', { command_name: '!hi' }];
const say: NodeSpec = ['action_chat_message', { message: 'hi {{ username }}' }];
const end: NodeSpec = 'flow_end';

describe('validateWorkflow: result shape', () => {
  test('a sound workflow is valid with nothing to report', () => {
    const result = validateWorkflow(workflow({ t: trigger, m: say, e: end }, ['t -> m', 'm -> e']));
    assert.deepEqual(result, {
      is_valid: true,
      errors: [],
      warnings: [],
      node_validation_errors: {},
      error_count: 0,
      warning_count: 0,
    });
  });

  test('counts match the lists and node errors are grouped by node', () => {
    const result = validateWorkflow(
      workflow({ t: trigger, a: ['action_chat_message', {}], b: 'no_such_type', e: end }, [
        't -> a',
        'a -> e',
        'a:nope -> e',
      ]),
    );
    assert.equal(result.is_valid, false);
    assert.equal(result.error_count, result.errors.length);
    assert.equal(result.warning_count, result.warnings.length);
    assert.deepEqual(Object.keys(result.node_validation_errors), ['a', 'b']);
    for (const messages of Object.values(result.node_validation_errors)) {
      for (const message of messages) assert.ok(result.errors.includes(message));
    }
    assert.ok(result.errors.some((error) => error.startsWith("Connection 'c3'")));
  });
});

describe('validateWorkflow: errors', () => {
  test('no nodes', () => {
    const result = validateWorkflow({ nodes: {}, connections: [] });
    assert.deepEqual(result.errors, ['Workflow has no nodes']);
    assert.equal(result.is_valid, false);
  });

  test('more nodes than allowed', () => {
    const specs: Record<string, NodeSpec> = { t: trigger };
    for (let index = 0; index < 500; index += 1) specs[`n${index}`] = end;
    const result = validateWorkflow(workflow(specs));
    assert.ok(result.errors.includes('Workflow has 501 nodes; the maximum is 500'));
    const small = validateWorkflow(workflow({ t: trigger, a: end, b: end }), { maxNodes: 2 });
    assert.ok(small.errors.includes('Workflow has 3 nodes; the maximum is 2'));
  });

  test('unknown node type', () => {
    const result = validateWorkflow(workflow({ t: trigger, x: 'teleport' }, ['t -> x']));
    assert.deepEqual(result.node_validation_errors.x, ["Node 'x': unknown node type 'teleport'"]);
  });

  test('config problems: one message per problem, naming the field', () => {
    const result = validateWorkflow(
      workflow({
        t: ['trigger_command', { cooldown_seconds: -5, colour: 'red', platforms: 'twitch' }],
        m: ['action_chat_message', { message: 'x', destination: 'moon' }],
        f: ['condition_filter', { input_array: 'xs', rules: [{ variable: 'item', operator: 'equals', extra: 1 }] }],
      }),
    );
    assert.deepEqual(result.node_validation_errors.t, [
      "Node 't' (trigger_command): config field 'command_name' is required",
      "Node 't' (trigger_command): config field 'colour' is not a known field",
      "Node 't' (trigger_command): config field 'platforms': expected array",
      "Node 't' (trigger_command): config field 'cooldown_seconds': expected integer to be greater or equal to 0",
    ]);
    assert.equal(result.node_validation_errors.m.length, 1);
    assert.match(
      result.node_validation_errors.m[0],
      /config field 'destination' must be one of 'current_channel', 'user_pm', 'specified_channel' \(got "moon"\)/,
    );
    assert.deepEqual(result.node_validation_errors.f, [
      "Node 'f' (condition_filter): config field 'rules[0].extra' is not a known field",
    ]);
  });

  test('a config that is not an object', () => {
    const result = validateWorkflow({
      nodes: { t: { node_type: 'trigger_manual', config: 'x' as unknown as Record<string, unknown> } },
      connections: [],
    });
    assert.match(result.node_validation_errors.t[0], /config must be an object/);
  });

  test('connections to or from nodes that do not exist', () => {
    const result = validateWorkflow(workflow({ t: trigger, e: end }, ['t -> ghost', 'phantom -> e']));
    assert.ok(result.errors.includes("Connection 'c1': target node 'ghost' does not exist"));
    assert.ok(result.errors.includes("Connection 'c2': source node 'phantom' does not exist"));
  });

  test('connections from or to ports the type does not have', () => {
    const result = validateWorkflow(
      workflow({ t: trigger, c: ['condition_if', { expression: 'true' }], e: end, t2: 'trigger_manual' }, [
        't -> c',
        'c:yes -> e',
        'c:true -> e:side',
        'c:false -> t2',
        'e -> c',
      ]),
    );
    assert.ok(
      result.errors.includes(
        "Connection 'c2': node 'c' (condition_if) has no output port 'yes'; its output ports are 'true', 'false'",
      ),
    );
    assert.ok(
      result.errors.includes(
        "Connection 'c3': node 'e' (flow_end) has no input port 'side'; its input port is 'input'",
      ),
    );
    assert.ok(result.errors.includes("Connection 'c4': node 't2' (trigger_manual) is a trigger and has no input port"));
    assert.ok(
      result.errors.includes(
        "Connection 'c5': node 'e' (flow_end) has no output port 'output'; it has no output ports",
      ),
    );
  });

  test('a connection without an id is named by its ends', () => {
    const result = validateWorkflow({
      nodes: { t: { node_type: 'trigger_manual' } },
      connections: [{ from_node_id: 't', from_port_name: 'output', to_node_id: 'x', to_port_name: 'input' }],
    });
    assert.deepEqual(result.errors, ["Connection #1 (t.output -> x.input): target node 'x' does not exist"]);
  });

  test('switch ports come from its cases', () => {
    const config = { variable: 'v', cases: { a: 'port_a' } };
    const ok = validateWorkflow(
      workflow({ t: trigger, s: ['condition_switch', config], e: end }, ['t -> s', 's:port_a -> e', 's:default -> e']),
    );
    assert.deepEqual(ok.errors, []);
    const bad = validateWorkflow(
      workflow({ t: trigger, s: ['condition_switch', config], e: end }, ['t -> s', 's:port_b -> e']),
    );
    assert.equal(bad.errors.length, 1);
    assert.match(bad.errors[0], /no output port 'port_b'; its output ports are 'port_a', 'default'/);
  });

  test('a cycle that avoids loop nodes', () => {
    const result = validateWorkflow(
      workflow({ t: trigger, a: say, b: say, e: end }, ['t -> a', 'a -> b', 'b -> a', 'b:error -> e']),
    );
    assert.deepEqual(result.errors, [
      "Cycle through nodes 'a', 'b' does not pass through a loop_foreach or loop_while node",
    ]);
  });

  test('a self-loop is a cycle', () => {
    const result = validateWorkflow(workflow({ t: trigger, a: say }, ['t -> a', 'a -> a']));
    assert.deepEqual(result.errors, [
      "Cycle through nodes 'a' does not pass through a loop_foreach or loop_while node",
    ]);
  });

  test('cycles through a loop node are allowed; one beside it inside the body is not', () => {
    const loop: NodeSpec = ['loop_while', { expression: 'n < 3' }];
    const allowed = validateWorkflow(
      workflow({ t: trigger, w: loop, a: say, e: end }, ['t -> w', 'w:loop -> a', 'a -> w', 'w:done -> e']),
    );
    assert.deepEqual(allowed.errors, []);
    const inner = validateWorkflow(
      workflow({ t: trigger, w: loop, a: say, b: say, e: end }, [
        't -> w',
        'w:loop -> a',
        'a -> b',
        'b -> a',
        'b:error -> w',
        'w:done -> e',
      ]),
    );
    assert.deepEqual(inner.errors, [
      "Cycle through nodes 'a', 'b' does not pass through a loop_foreach or loop_while node",
    ]);
  });

  test('disabled connections do not make cycles', () => {
    const definition = workflow({ t: trigger, a: say, b: say }, ['t -> a', 'a -> b']);
    const back: Connection = {
      connection_id: 'back',
      from_node_id: 'b',
      from_port_name: 'output',
      to_node_id: 'a',
      to_port_name: 'input',
      enabled: false,
    };
    assert.deepEqual(validateWorkflow({ ...definition, connections: [...definition.connections, back] }).errors, []);
  });

  test('loop_break outside any loop body', () => {
    const each: NodeSpec = ['loop_foreach', { array_variable: 'xs' }];
    const inside = validateWorkflow(
      workflow({ t: trigger, f: each, a: say, b: 'loop_break', e: end }, [
        't -> f',
        'f:loop -> a',
        'a -> b',
        'b -> f',
        'f:done -> e',
      ]),
    );
    assert.deepEqual(inside.errors, []);
    const after = validateWorkflow(
      workflow({ t: trigger, f: each, a: say, b: 'loop_break', e: end }, [
        't -> f',
        'f:loop -> a',
        'a -> f',
        'f:done -> b',
        'b -> e',
      ]),
    );
    assert.deepEqual(after.errors, ["Node 'b' (loop_break) is not inside the body of a loop_foreach or loop_while"]);
    assert.deepEqual(Object.keys(after.node_validation_errors), ['b']);
  });

  test('invalid cron and timezone', () => {
    const result = validateWorkflow(
      workflow({
        s1: ['trigger_schedule', { cron: '61 * * * *' }],
        s2: ['trigger_schedule', { cron: '@hourly', timezone: 'Atlantis/Capital' }],
        s3: ['trigger_schedule', { cron: '0 9 * * MON-FRI', timezone: 'America/New_York' }],
      }),
    );
    assert.match(result.node_validation_errors.s1[0], /^Node 's1' \(trigger_schedule\): config field 'cron': .*minute/);
    assert.match(
      result.node_validation_errors.s2[0],
      /config field 'timezone': 'Atlantis\/Capital' is not a known IANA timezone/,
    );
    assert.equal(result.node_validation_errors.s3, undefined);
  });

  test('a bad cron and a bad timezone are both reported; so are a bad URL and a bad method', () => {
    const result = validateWorkflow(
      workflow(
        {
          t: trigger,
          s: ['trigger_schedule', { cron: '61 * * * *', timezone: 'Atlantis/Capital' }],
          w: ['action_webhook', { url: 'ftp://example.com/x', method: 'FETCH', timeout_seconds: -1 }],
        },
        ['t -> w'],
      ),
    );
    assert.equal(result.node_validation_errors.s.length, 2, result.node_validation_errors.s.join('\n'));
    assert.match(result.node_validation_errors.s[0], /config field 'timezone': 'Atlantis\/Capital'/);
    assert.match(result.node_validation_errors.s[1], /config field 'cron': .*minute/);
    assert.deepEqual(result.node_validation_errors.w, [
      "Node 'w' (action_webhook): config field 'method' must be one of 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD' (got \"FETCH\")",
      "Node 'w' (action_webhook): config field 'timeout_seconds': expected number to be greater than 0",
      "Node 'w' (action_webhook): config field 'url': 'ftp://example.com/x' is not an http(s) URL",
    ]);
  });

  test('invalid JSONata and regex', () => {
    const result = validateWorkflow(
      workflow({
        t: trigger,
        c: ['condition_if', { expression: 'a = ' }],
        d: ['data_transform', { transformations: { x: '$sum(items' } }],
        r: ['condition_if', { rules: [{ variable: 'msg', operator: 'matches_regex', value: '(?!x)' }] }],
      }),
    );
    assert.match(result.node_validation_errors.c[0], /config field 'expression': JSONata error/);
    assert.match(result.node_validation_errors.d[0], /config field 'transformations.x': JSONata error/);
    assert.match(result.node_validation_errors.r[0], /config field 'rules\[0\].value': invalid regex/);
  });

  test('action_webhook URL that is not http(s)', () => {
    const result = validateWorkflow(
      workflow({ t: trigger, w: ['action_webhook', { url: 'file:///etc/passwd' }] }, ['t -> w']),
    );
    assert.deepEqual(result.node_validation_errors.w, [
      "Node 'w' (action_webhook): config field 'url': 'file:///etc/passwd' is not an http(s) URL",
    ]);
  });
});

describe('validateWorkflow: warnings', () => {
  test('no trigger node', () => {
    const result = validateWorkflow(workflow({ e: end }));
    assert.deepEqual(result.warnings, ['Workflow has no trigger node']);
    assert.equal(result.is_valid, true);
  });

  test('unreachable nodes (disabled connections do not reach)', () => {
    const definition = workflow({ t: trigger, a: say, e: end, x: end }, ['t -> a', 'a -> e']);
    const off: Connection = {
      connection_id: 'off',
      from_node_id: 'a',
      from_port_name: 'error',
      to_node_id: 'x',
      to_port_name: 'input',
      enabled: false,
    };
    const result = validateWorkflow({ ...definition, connections: [...definition.connections, off] });
    assert.deepEqual(result.warnings, ["Node 'x' is not reachable from any trigger"]);
  });

  test('a node with no outgoing connection that is not flow_end', () => {
    const result = validateWorkflow(workflow({ t: trigger, m: say }, ['t -> m']));
    assert.deepEqual(result.warnings, ["Node 'm' has no outgoing connections"]);
  });

  test('a flow_merge with one incoming connection', () => {
    const result = validateWorkflow(workflow({ t: trigger, m: 'flow_merge', e: end }, ['t -> m', 'm -> e']));
    assert.deepEqual(result.warnings, ["Node 'm' (flow_merge) has only one incoming connection"]);
    const two = validateWorkflow(
      workflow({ t: trigger, c: ['condition_if', { expression: 'x' }], m: 'flow_merge', e: end }, [
        't -> c',
        'c:true -> m',
        'c:false -> m',
        'm -> e',
      ]),
    );
    assert.deepEqual(two.warnings, []);
  });

  test('loops nested deeper than the limit', () => {
    const specs: Record<string, NodeSpec> = { t: trigger, e: end };
    const edges = ['t -> l1', 'l1:done -> e'];
    for (let depth = 1; depth <= 4; depth += 1) {
      specs[`l${depth}`] = ['loop_foreach', { array_variable: 'xs' }];
      if (depth > 1) edges.push(`l${depth - 1}:loop -> l${depth}`, `l${depth}:done -> l${depth - 1}`);
    }
    specs.body = say;
    edges.push('l4:loop -> body', 'body -> l4');
    const definition = workflow(specs, edges);
    assert.deepEqual(validateWorkflow(definition, { maxLoopDepth: 4 }).warnings, []);
    assert.deepEqual(validateWorkflow(definition, { maxLoopDepth: 3 }).warnings, [
      "Node 'l4' (loop_foreach): loops are nested 4 deep here; the limit is 3",
    ]);
    assert.equal(validateWorkflow(definition, { maxLoopDepth: 2 }).warning_count, 2);
    assert.equal(validateWorkflow(definition).warning_count, 0);
  });
});

describe('validateWorkflow: config string sizes', () => {
  test('a string over the cap is an error naming the node and field, whatever its nesting', () => {
    const big = 'x'.repeat(64 * 1024 + 1);
    const result = validateWorkflow(
      workflow(
        {
          t: trigger,
          m: ['action_chat_message', { message: big }],
          w: ['action_webhook', { url: 'https://example.com', body: { items: [{ note: big }] } }],
          e: end,
        },
        ['t -> m', 'm -> w', 'w -> e'],
      ),
    );
    assert.equal(result.is_valid, false);
    assert.equal(
      result.node_validation_errors.m[0],
      "Node 'm' (action_chat_message): config field 'message': the text is longer than 65536 bytes (MAX_CONFIG_STRING_BYTES)",
    );
    assert.deepEqual(result.node_validation_errors.w, [
      "Node 'w' (action_webhook): config field 'body.items[0].note': the text is longer than 65536 bytes (MAX_CONFIG_STRING_BYTES)",
    ]);
  });

  test('bytes are counted in UTF-8, and the cap is configurable', () => {
    const emoji = '😀'.repeat(16 * 1024); // 64 KiB exactly
    const call = (body: unknown): NodeSpec => ['action_webhook', { url: 'https://example.com', body }];
    const at = validateWorkflow(workflow({ t: trigger, w: call(emoji), e: end }, ['t -> w', 'w -> e']));
    assert.equal(at.is_valid, true, at.errors.join('\n'));
    const over = validateWorkflow(workflow({ t: trigger, w: call(`${emoji}é`), e: end }, ['t -> w', 'w -> e']));
    assert.equal(over.is_valid, false);
    const small = validateWorkflow(workflow({ t: trigger, m: ['action_chat_message', { message: 'é'.repeat(600) }] }), {
      maxConfigStringBytes: 1024,
    });
    assert.match(small.errors[0], /config field 'message': the text is longer than 1024 bytes/);
  });
});
