import { describe, expect, it } from 'vitest';
import { listNodeTypes } from '../../../src/nodes/registry.ts';
import { createCatalog } from './node-catalog.ts';
import { canConnect, connectionProblem } from './port-rules.ts';
import type { WorkflowDocument } from './workflow-document.ts';

const catalog = createCatalog(listNodeTypes());
const doc: WorkflowDocument = {
  nodes: {
    t: { node_type: 'trigger_command', config: { command_name: '!x' } },
    t2: { node_type: 'trigger_manual' },
    if: { node_type: 'condition_if' },
    sw: { node_type: 'condition_switch', config: { variable: 'x', cases: { a: 'alpha' } } },
    msg: { node_type: 'action_chat_message' },
    end: { node_type: 'flow_end' },
  },
  connections: [{ from_node_id: 't', from_port_name: 'output', to_node_id: 'if', to_port_name: 'input' }],
};
const link = (source: string, sourceHandle: string, target: string, targetHandle = 'input') => ({
  source,
  sourceHandle,
  target,
  targetHandle,
});

describe('port rules', () => {
  it('allows an output port into an input port', () => {
    expect(canConnect(doc, catalog, link('if', 'true', 'msg'))).toBe(true);
    expect(canConnect(doc, catalog, link('if', 'false', 'end'))).toBe(true);
    expect(canConnect(doc, catalog, link('sw', 'alpha', 'msg'))).toBe(true);
    expect(canConnect(doc, catalog, link('sw', 'default', 'msg'))).toBe(true);
  });

  it('refuses what the types do not allow', () => {
    expect(connectionProblem(doc, catalog, link('msg', 'output', 't'))).toMatch(/takes no input/);
    expect(connectionProblem(doc, catalog, link('msg', 'output', 't2'))).toMatch(/takes no input/);
    expect(connectionProblem(doc, catalog, link('if', 'output', 'msg'))).toMatch(/no output port 'output'/);
    expect(connectionProblem(doc, catalog, link('sw', 'beta', 'msg'))).toMatch(/no output port 'beta'/);
    expect(connectionProblem(doc, catalog, link('end', 'output', 'msg'))).toMatch(/no output port/);
    expect(connectionProblem(doc, catalog, link('if', 'true', 'if'))).toMatch(/itself/);
    expect(connectionProblem(doc, catalog, link('t', 'output', 'if'))).toMatch(/already connected/);
    expect(connectionProblem(doc, catalog, link('if', 'true', 'msg', 'other'))).toMatch(/no input port 'other'/);
    expect(connectionProblem(doc, catalog, { source: 'if', target: null })).toMatch(/both ends/);
    expect(connectionProblem(doc, catalog, link('ghost', 'output', 'msg'))).toMatch(/both ends/);
  });
});
