import { describe, expect, it } from 'vitest';
import type { WorkflowNode } from '../api/types.ts';
import { type Paint, type PaintedNode, paintNodes } from './painted-nodes.ts';

const NODES: Record<string, WorkflowNode> = {
  start: { node_type: 'trigger_manual', position: { x: 0, y: 0 } },
  call: { node_type: 'action_http', label: 'Call API', position: { x: 240, y: 0 } },
  wait: { node_type: 'action_delay' },
};

const paint =
  (overrides: Record<string, Partial<Paint>> = {}) =>
  (id: string) => ({
    status: 'pending',
    runs: 0,
    isError: false,
    selected: false,
    ...overrides[id],
  });

const byId = (list: PaintedNode[]) => new Map(list.map((node) => [node.id, node]));

describe('paintNodes', () => {
  it('draws each node with its label, paint and position (a grid slot when it has none)', () => {
    const list = paintNodes(NODES, paint({ call: { status: 'running', runs: 2 } }), new Map());
    expect(list.map((n) => [n.id, n.data.label, n.data.status, n.data.runs, n.position, n.ariaLabel])).toEqual([
      ['start', 'start', 'pending', 0, { x: 0, y: 0 }, 'start: pending'],
      ['call', 'Call API', 'running', 2, { x: 240, y: 0 }, 'Call API: running'],
      ['wait', 'wait', 'pending', 0, { x: 480, y: 0 }, 'wait: pending'],
    ]);
  });

  it('keeps the object of every node whose paint did not change, and only those', () => {
    const first = paintNodes(NODES, paint({ call: { status: 'running', runs: 1 } }), new Map());
    // A live event about `call` and a click on `wait`.
    const second = paintNodes(
      NODES,
      paint({ call: { status: 'completed', runs: 1 }, wait: { selected: true } }),
      byId(first),
    );
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1].data.status).toBe('completed');
    expect(second[2]).not.toBe(first[2]);
    expect(second[2].data.selected).toBe(true);
    // Nothing changed: every object is the one before.
    const third = paintNodes(
      NODES,
      paint({ call: { status: 'completed', runs: 1 }, wait: { selected: true } }),
      byId(second),
    );
    for (const [i, node] of third.entries()) expect(node).toBe(second[i]);
  });

  it('draws a node again when its run count, error mark or definition changes', () => {
    const first = paintNodes(NODES, paint(), new Map());
    const moreRuns = paintNodes(NODES, paint({ call: { runs: 3 } }), byId(first));
    expect(moreRuns[1]).not.toBe(first[1]);
    const errored = paintNodes(NODES, paint({ start: { isError: true } }), byId(first));
    expect(errored[0]).not.toBe(first[0]);
    const renamed = { ...NODES, call: { ...NODES.call, label: 'Call the API' } };
    const edited = paintNodes(renamed, paint(), byId(first));
    expect(edited[1].data.label).toBe('Call the API');
    expect(edited[0]).toBe(first[0]);
  });
});
