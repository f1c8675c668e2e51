import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copySelection, parseClip, pasteClip, pasteNotice, readPortable, serializeClip } from './clipboard.ts';
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

  it('pastes an exported workflow: its nodes under new ids, called workflows left to pick', () => {
    const exported = {
      format: 'workflow-core/1',
      name: 'Caller',
      nodes: {
        ...doc.nodes,
        action_workflow_1: {
          node_type: 'action_workflow',
          position: { x: 600, y: 0 },
          config: { workflow_id: 'workflow-1', wait: true },
        },
      },
      connections: doc.connections,
      global_variables: {},
      settings: { error_workflow_id: 'workflow-1' },
      credentials: ['uptime_api'],
      workflows: [{ ref: 'workflow-1', name: 'Child' }],
    };
    const clip = parseClip(JSON.stringify({ success: true, data: exported }));
    expect(clip?.source).toEqual({ name: 'Caller', credentials: ['uptime_api'], workflows: ['Child'], masked: [] });
    // The reference only resolves on import: here the node waits for the user to pick the workflow.
    expect(clip?.nodes.action_workflow_1.config).toEqual({ wait: true });
    const { doc: pasted, ids } = pasteClip(doc, clip!);
    expect(ids).toEqual(['trigger_manual_2', 'condition_if_2', 'action_chat_message_2', 'action_workflow_1']);
    expect(pasted.connections.slice(doc.connections.length).map((c) => [c.from_node_id, c.to_node_id])).toEqual([
      ['trigger_manual_2', 'condition_if_2'],
      ['condition_if_2', 'action_chat_message_2'],
    ]);
    expect(pasteNotice(clip!)).toBe(
      'Pasted 4 nodes from "Caller". It uses the credentials uptime_api (see Credentials). Pick the workflows it called (Child) in the nodes that call them.',
    );
    expect(pasteNotice(parseClip(serializeClip(copySelection(doc, new Set(['condition_if_1']))))!)).toBeNull();
  });

  it('names the nodes whose secrets the export masked', () => {
    const exported = {
      format: 'workflow-core/1',
      name: 'Hooks',
      nodes: {
        hook: { node_type: 'action_webhook', config: { url: 'https://x.test', headers: { Authorization: '••••••' } } },
        say: { node_type: 'action_chat_message', config: { message: 'hi' } },
      },
      connections: [],
    };
    const clip = parseClip(JSON.stringify(exported));
    expect(clip?.source?.masked).toEqual(['hook']);
    const { ids } = pasteClip(doc, clip!);
    expect(pasteNotice(clip!, ids)).toBe(
      'Pasted 2 nodes from "Hooks". The export masked secrets (••••••) in action_webhook_1: type them again, or use a credential.',
    );
  });

  it('reads every shipped template as an exported workflow, and nothing else as one', () => {
    const uptime = readFileSync(new URL('../../../templates/uptime.json', import.meta.url), 'utf8');
    expect(readPortable(uptime)?.credentials).toEqual(['uptime_api']);
    expect(Object.keys(parseClip(uptime)?.nodes ?? {})).toEqual(['uptime', 'fetch', 'say', 'sorry', 'done']);
    expect(readPortable(serializeClip(doc))).toBeNull();
    expect(readPortable(JSON.stringify({ format: 'workflow-core/2', nodes: {}, connections: [] }))).toBeNull();
    expect(readPortable('{"format": "workflow-core/1"')).toBeNull();
  });
});
