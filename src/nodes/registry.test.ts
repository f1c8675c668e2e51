import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { outputPortsOf } from './node-type.ts';
import { applyConfigDefaults, getNodeType, listNodeTypes, nodeTypes } from './registry.ts';
import { createTestContext } from './test-context.fixture.ts';

const CATALOG = {
  trigger_command: ['output'],
  trigger_event: ['output'],
  trigger_webhook: ['output'],
  trigger_schedule: ['output'],
  trigger_manual: ['output'],
  condition_if: ['true', 'false'],
  condition_switch: ['default'],
  condition_filter: ['output'],
  action_chat_message: ['output', 'error'],
  action_webhook: ['output', 'error'],
  action_module: ['output', 'error'],
  action_browser_source: ['output', 'error'],
  action_delay: ['output'],
  action_workflow: ['output', 'error'],
  data_variable_set: ['output'],
  data_variable_get: ['output'],
  data_transform: ['output', 'error'],
  loop_foreach: ['loop', 'done'],
  loop_while: ['loop', 'done'],
  loop_break: ['output'],
  flow_parallel: ['output'],
  flow_merge: ['output'],
  flow_end: [],
} as const;

describe('node registry', () => {
  test('holds exactly the 23 catalog types with their output ports', () => {
    assert.deepEqual([...nodeTypes.keys()].sort(), Object.keys(CATALOG).sort());
    for (const [type, ports] of Object.entries(CATALOG)) {
      const node = getNodeType(type);
      assert.ok(node, type);
      assert.deepEqual(outputPortsOf(node, applyConfigDefaults(type, {})), ports, type);
    }
    assert.equal(getNodeType('nope'), undefined);
  });

  test('triggers have no input, the four delivering actions have side effects', () => {
    for (const node of nodeTypes.values()) {
      assert.equal(node.hasInput, node.category !== 'trigger', node.type);
      const delivers = ['action_chat_message', 'action_webhook', 'action_module', 'action_browser_source'].includes(
        node.type,
      );
      assert.equal(node.effect !== 'none', delivers, node.type);
    }
  });

  test('structural types declare their structure; only action_webhook always leaves the process', () => {
    const structures = Object.fromEntries(
      [...nodeTypes.values()].flatMap((node) => (node.structure ? [[node.type, node.structure]] : [])),
    );
    assert.deepEqual(structures, {
      loop_foreach: 'loop',
      loop_while: 'loop',
      loop_break: 'break',
      flow_merge: 'join',
      flow_end: 'end',
    });
    const external = [...nodeTypes.values()].filter((node) => node.effect === 'external').map((node) => node.type);
    assert.deepEqual(external, ['action_webhook']);
  });

  test('switch ports follow its cases', () => {
    const node = getNodeType('condition_switch');
    assert.ok(node);
    const config = applyConfigDefaults('condition_switch', {
      variable: 'x',
      cases: { a: 'first', b: 'first', c: 'other' },
    });
    assert.deepEqual(outputPortsOf(node, config), ['first', 'other', 'default']);
  });

  test('applyConfigDefaults fills the table defaults without touching the input', () => {
    const input = { command_name: '!so' };
    assert.deepEqual(applyConfigDefaults('trigger_command', input), {
      command_name: '!so',
      platforms: [],
      case_sensitive: false,
      require_mod: false,
      cooldown_seconds: 0,
      user_cooldown_seconds: 0,
    });
    assert.deepEqual(input, { command_name: '!so' });
    assert.deepEqual(applyConfigDefaults('action_webhook', { url: 'https://x.test' }), {
      url: 'https://x.test',
      method: 'POST',
      headers: {},
      query: {},
      timeout_seconds: 10,
    });
    assert.deepEqual(applyConfigDefaults('trigger_schedule', { cron: '@hourly' }), {
      cron: '@hourly',
      timezone: 'UTC',
      catch_up: 'latest',
    });
    assert.deepEqual(applyConfigDefaults('flow_merge', undefined), { input_ports_required: -1 });
    assert.deepEqual(applyConfigDefaults('unknown_type', { a: 1 }), { a: 1 });
  });

  test('every default config of a type without required fields matches its own schema', () => {
    for (const node of nodeTypes.values()) {
      const required = (node.configSchema.required as string[] | undefined) ?? [];
      if (required.length > 0) continue;
      assert.equal(Value.Check(node.configSchema, applyConfigDefaults(node.type, {})), true, node.type);
    }
  });

  test('listNodeTypes describes each type for the API', () => {
    const list = listNodeTypes();
    assert.equal(list.length, 23);
    const command = list.find((entry) => entry.node_type === 'trigger_command');
    assert.deepEqual(command?.input_ports, []);
    assert.deepEqual(command?.output_ports, ['output']);
    assert.equal(command?.category, 'trigger');
    const schema = JSON.parse(JSON.stringify(command?.config_schema)) as {
      required: string[];
      properties: Record<string, { default?: unknown }>;
    };
    assert.deepEqual(schema.required, ['command_name']);
    assert.equal(schema.properties.cooldown_seconds.default, 0);
    const merge = list.find((entry) => entry.node_type === 'flow_merge');
    assert.deepEqual(merge?.input_ports, ['input']);
    const switchInfo = list.find((entry) => entry.node_type === 'condition_switch');
    assert.equal(switchInfo?.dynamic_output_ports, true);
    assert.match(switchInfo?.description ?? '', /one per port named in cases/);
    assert.equal(list.filter((entry) => entry.dynamic_output_ports).length, 1);
  });

  test('semantic checks reached through the registry see defaults', () => {
    const schedule = getNodeType('trigger_schedule');
    assert.deepEqual(schedule?.validateConfig?.({ cron: '*/5 * * * *' }), []);
    assert.equal(schedule?.validateConfig?.({ cron: '* * *' }).length, 1);
  });
});

describe('node catalog examples and outputs', () => {
  const trigger: Record<string, unknown> = {
    trigger_command: {
      command: '!so',
      args: ['ninja'],
      args_text: 'ninja',
      message: '!so ninja',
      user_id: 'u1',
      username: 'alice',
      platform: 'twitch',
      channel_id: 'c1',
      message_id: null,
      is_mod: false,
    },
    trigger_event: { event_type: 'follow', platform: 'twitch', user_id: 7, username: null, data: { tier: '3000' } },
    trigger_webhook: { body: { release: 'v1' }, headers: {}, query: {}, webhook_id: 'w1', client_ip: '127.0.0.1' },
    trigger_schedule: {
      schedule_id: 's1',
      scheduled_for: '2026-12-01T18:00:00.000Z',
      fired_at: '2026-12-01T18:00:00.012Z',
    },
    trigger_manual: {},
  };
  const variables = {
    username: 'alice',
    message: 'hello',
    args: ['on'],
    user: { is_mod: true, name: 'Alice' },
    viewers: [{ minutes: 90 }, { minutes: 5 }],
    count: 1,
    found: true,
    shout: 'HI',
  };

  for (const node of nodeTypes.values()) {
    test(`${node.type}: examples are valid configs, and running one writes what output_schema says`, async () => {
      assert.ok(node.examples.length >= 1, 'at least one example');
      for (const example of node.examples) {
        assert.deepEqual(
          [...Value.Errors(node.configSchema, example)].map((e) => `${e.path} ${e.message}`),
          [],
        );
        assert.deepEqual(node.validateConfig?.(example) ?? [], [], JSON.stringify(example));
      }
      const { ctx } = createTestContext({
        variables: { ...variables, trigger: trigger[node.type] ?? {} },
        http: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: { ok: true } }),
      });
      // A sub-workflow answers as the services would: completed with a final output.
      const workflows = {
        run: async () => ({
          execution_id: 'child',
          status: 'completed',
          final_output: { ok: true },
          error_message: null,
        }),
      };
      const result = await node.execute(node.examples[0], {}, { ...ctx, workflows } as typeof ctx);
      const problems = [...Value.Errors(node.outputSchema, result.output)].map((e) => `${e.path} ${e.message}`);
      assert.deepEqual(problems, [], JSON.stringify(result.output));
    });
  }

  test('the catalog answers output_schema and examples per type', () => {
    for (const info of listNodeTypes()) {
      assert.ok(info.output_schema, info.node_type);
      assert.ok(info.examples.length >= 1, info.node_type);
    }
  });
});
