import { describe, expect, it } from 'vitest';
import { samplePayload, templateVariables, upstreamOf } from './template-variables.ts';
import type { WorkflowDocument } from './workflow-document.ts';

const doc: WorkflowDocument = {
  nodes: {
    cmd: { node_type: 'trigger_command' },
    set: { node_type: 'data_variable_set' },
    if: { node_type: 'condition_if' },
    msg: { node_type: 'action_chat_message' },
    other: { node_type: 'action_delay' },
  },
  connections: [
    { from_node_id: 'cmd', from_port_name: 'output', to_node_id: 'set', to_port_name: 'input' },
    { from_node_id: 'set', from_port_name: 'output', to_node_id: 'if', to_port_name: 'input' },
    { from_node_id: 'if', from_port_name: 'true', to_node_id: 'msg', to_port_name: 'input' },
    { from_node_id: 'msg', from_port_name: 'output', to_node_id: 'set', to_port_name: 'input' },
  ],
};

describe('template variables', () => {
  it('finds every node upstream, through cycles, not the node itself', () => {
    expect(upstreamOf(doc, 'msg')).toEqual(['cmd', 'if', 'set']);
    expect(upstreamOf(doc, 'cmd')).toEqual([]);
    expect(upstreamOf(doc, 'other')).toEqual([]);
  });

  it('offers globals, trigger fields and upstream outputs', () => {
    const paths = templateVariables(doc, 'if', { greeting: 'hi' }).map((v) => v.path);
    expect(paths).toContain('greeting');
    expect(paths).toContain('username');
    expect(paths).toContain('args_text');
    expect(paths).toContain('trigger');
    expect(paths).toContain('nodes.set.output');
    expect(paths).toContain('nodes.cmd.output');
    expect(paths).toContain('nodes.msg.output');
    expect(paths).not.toContain('nodes.if.output');
    expect(paths).not.toContain('nodes.other.output');
  });

  it('prefills a payload per trigger type', () => {
    expect(samplePayload('trigger_command')).toMatchObject({ message: expect.stringMatching(/^!/) });
    expect(samplePayload('trigger_event')).toMatchObject({ event_type: 'follow' });
    expect(samplePayload('trigger_webhook')).toHaveProperty('body');
    expect(samplePayload('trigger_manual')).toEqual({});
  });
});
