import { describe, expect, it } from 'vitest';
import { type DiffableDefinition, diffVersions, showValue } from './version-diff.ts';

const base: DiffableDefinition = {
  nodes: {
    t: { node_type: 'trigger_command', config: { command_name: '!so' }, position: { x: 0, y: 0 } },
    say: { node_type: 'action_chat_message', label: 'Say', config: { message: 'Hi {{ user }}' } },
    end: { node_type: 'flow_end' },
  },
  connections: [
    { from_node_id: 't', from_port_name: 'output', to_node_id: 'say', to_port_name: 'input' },
    { from_node_id: 'say', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' },
  ],
};

describe('diffVersions', () => {
  it('finds nothing between equal definitions, whatever the key order', () => {
    const reordered: DiffableDefinition = {
      nodes: {
        end: { node_type: 'flow_end' },
        say: { config: { message: 'Hi {{ user }}' }, label: 'Say', node_type: 'action_chat_message' },
        t: { position: { y: 0, x: 0 }, node_type: 'trigger_command', config: { command_name: '!so' } },
      },
      connections: [...base.connections].reverse(),
    };
    expect(diffVersions(base, reordered).identical).toBe(true);
  });

  it('lists added and removed nodes and a changed config field by path', () => {
    const next: DiffableDefinition = {
      nodes: {
        t: base.nodes.t,
        say: {
          node_type: 'action_chat_message',
          label: 'Say',
          config: { message: 'Hello {{ user }}', platform: 'twitch' },
        },
        wait: { node_type: 'action_delay', config: { delay_ms: 500 } },
      },
      connections: [
        base.connections[0],
        { from_node_id: 'say', from_port_name: 'output', to_node_id: 'wait', to_port_name: 'input' },
      ],
    };
    const diff = diffVersions(base, next);
    expect(diff.added).toEqual(['wait']);
    expect(diff.removed).toEqual(['end']);
    expect(diff.changed).toEqual([
      {
        nodeId: 'say',
        fields: [
          { path: 'config.message', before: 'Hi {{ user }}', after: 'Hello {{ user }}' },
          { path: 'config.platform', before: undefined, after: 'twitch' },
        ],
      },
    ]);
    expect(diff.connectionsAdded).toEqual(['say:output → wait:input']);
    expect(diff.connectionsRemoved).toEqual(['say:output → end:input']);
    expect(diff.identical).toBe(false);
  });

  it('compares arrays whole and notices moves, retries and disabled connections', () => {
    const next: DiffableDefinition = {
      nodes: {
        ...base.nodes,
        t: {
          node_type: 'trigger_command',
          config: { command_name: '!so', platforms: ['twitch'] },
          position: { x: 40, y: 0 },
        },
        say: { ...base.nodes.say, retry: { max_attempts: 3 } },
      },
      connections: [{ ...base.connections[0], enabled: false }, base.connections[1]],
    };
    const diff = diffVersions(base, next);
    expect(diff.changed.map((c) => [c.nodeId, c.fields.map((f) => f.path)])).toEqual([
      ['say', ['retry.max_attempts']],
      ['t', ['config.platforms', 'position.x']],
    ]);
    expect(diff.connectionsAdded).toEqual(['t:output → say:input (disabled)']);
    expect(diff.connectionsRemoved).toEqual(['t:output → say:input']);
  });
});

describe('showValue', () => {
  it('shows missing values as a dash and cuts long ones', () => {
    expect(showValue(undefined)).toBe('—');
    expect(showValue('x')).toBe('"x"');
    expect(showValue('y'.repeat(500))).toHaveLength(200);
  });
});
