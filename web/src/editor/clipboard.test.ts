import { describe, expect, it } from 'vitest';
import { copySelection, parseClip, pasteClip, serializeClip } from './clipboard.ts';
import type { WorkflowDocument } from './workflow-document.ts';

const doc: WorkflowDocument = {
  nodes: {
    trigger_manual_1: { node_type: 'trigger_manual', position: { x: 0, y: 0 } },
    condition_if_1: {
      node_type: 'condition_if',
      label: 'Check',
      position: { x: 200, y: 0 },
      config: { expression: 'a > 1' },
    },
    action_chat_message_1: { node_type: 'action_chat_message', position: { x: 400, y: 0 }, config: { message: 'hi' } },
  },
  connections: [
    {
      connection_id: 'conn_1',
      from_node_id: 'trigger_manual_1',
      from_port_name: 'output',
      to_node_id: 'condition_if_1',
      to_port_name: 'input',
    },
    {
      connection_id: 'conn_2',
      from_node_id: 'condition_if_1',
      from_port_name: 'true',
      to_node_id: 'action_chat_message_1',
      to_port_name: 'input',
    },
  ],
};

describe('clipboard', () => {
  it('copies the selected nodes with only their inner connections, as API-shaped JSON', () => {
    const clip = copySelection(doc, new Set(['condition_if_1', 'action_chat_message_1']));
    expect(Object.keys(clip.nodes)).toEqual(['condition_if_1', 'action_chat_message_1']);
    expect(clip.connections.map((c) => c.connection_id)).toEqual(['conn_2']);
    const text = serializeClip(clip);
    expect(JSON.parse(text)).toEqual({ nodes: clip.nodes, connections: clip.connections });
  });

  it('round-trips through text and pastes under new ids, wired to each other, shifted', () => {
    const clip = parseClip(serializeClip(copySelection(doc, new Set(['condition_if_1', 'action_chat_message_1']))));
    expect(clip).not.toBeNull();
    const { doc: pasted, ids } = pasteClip(doc, clip!);
    expect(ids).toEqual(['condition_if_2', 'action_chat_message_2']);
    expect(pasted.nodes.condition_if_2).toEqual({ ...doc.nodes.condition_if_1, position: { x: 240, y: 40 } });
    expect(pasted.nodes.condition_if_1).toBe(doc.nodes.condition_if_1);
    const added = pasted.connections.slice(doc.connections.length);
    expect(added).toEqual([
      {
        connection_id: 'conn_3',
        from_node_id: 'condition_if_2',
        from_port_name: 'true',
        to_node_id: 'action_chat_message_2',
        to_port_name: 'input',
      },
    ]);
    // Pasting again numbers on.
    const again = pasteClip(pasted, clip!);
    expect(again.ids).toEqual(['condition_if_3', 'action_chat_message_3']);
    expect(new Set(again.doc.connections.map((c) => c.connection_id)).size).toBe(again.doc.connections.length);
  });

  it('accepts a whole workflow answer from a text editor, refuses what is not a clip', () => {
    const answer = JSON.stringify({ success: true, data: { name: 'x', ...doc } });
    expect(Object.keys(parseClip(answer)?.nodes ?? {})).toEqual(Object.keys(doc.nodes));
    expect(parseClip('hello')).toBeNull();
    expect(parseClip('{"nodes": {"a": {"label": "no type"}}}')).toBeNull();
    expect(parseClip('[]')).toBeNull();
    // A connection to a node outside the clip is dropped.
    const partial = parseClip(
      JSON.stringify({ nodes: { a: { node_type: 'flow_end' } }, connections: doc.connections }),
    );
    expect(partial?.connections).toEqual([]);
  });
});
