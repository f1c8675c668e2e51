import { describe, expect, it } from 'vitest';
import { copySelection, pasteClip } from './clipboard.ts';
import { commit, createHistory, GROUP_WINDOW_MS, type History, redo, undo } from './history.ts';
import { foldMoves } from './node-moves.ts';
import {
  addNode,
  connect,
  EMPTY_DOCUMENT,
  moveNodes,
  removeElements,
  setConnectionEnabled,
  setNodeField,
  type WorkflowDocument,
} from './workflow-document.ts';

type Step = { name: string; apply: (h: History<WorkflowDocument>) => History<WorkflowDocument> };

const steps: Step[] = [
  {
    name: 'add',
    apply: (h) => commit(h, addNode(h.present, 'a', { node_type: 'trigger_manual', position: { x: 0, y: 0 } })),
  },
  { name: 'add another', apply: (h) => commit(h, addNode(h.present, 'b', { node_type: 'action_chat_message' })) },
  {
    name: 'connect',
    apply: (h) =>
      commit(
        h,
        connect(h.present, { from_node_id: 'a', from_port_name: 'output', to_node_id: 'b', to_port_name: 'input' }),
      ),
  },
  {
    name: 'move (a drag of many frames)',
    apply: (h) => {
      let preview = null as ReturnType<typeof foldMoves>['preview'];
      for (let x = 1; x <= 30; x++)
        preview = foldMoves(preview, [{ id: 'a', position: { x, y: x * 2 }, dragging: true }]).preview;
      const end = foldMoves(preview, [{ id: 'a', position: { x: 31, y: 62 }, dragging: false }]);
      return commit(h, moveNodes(h.present, end.commit ?? new Map()));
    },
  },
  {
    name: 'config edit (typing, one step)',
    apply: (h) => {
      let next = h;
      for (const [i, text] of ['H', 'Hi', 'Hi!'].entries())
        next = commit(next, setNodeField(next.present, 'b', 'config', { message: text }), {
          group: 'b:config',
          at: 1000 + i * 100,
        });
      return next;
    },
  },
  { name: 'rename', apply: (h) => commit(h, setNodeField(h.present, 'b', 'label', 'Say hi')) },
  { name: 'disable', apply: (h) => commit(h, setNodeField(h.present, 'b', 'enabled', false)) },
  { name: 'disable connection', apply: (h) => commit(h, setConnectionEnabled(h.present, 'conn_1', false)) },
  {
    name: 'paste',
    apply: (h) => commit(h, pasteClip(h.present, copySelection(h.present, new Set(['a', 'b']))).doc),
  },
  { name: 'delete', apply: (h) => commit(h, removeElements(h.present, new Set(['a']))) },
  { name: 'restore a snapshot', apply: (h) => commit(h, { nodes: { z: { node_type: 'flow_end' } }, connections: [] }) },
];

describe('history', () => {
  it('undoes and redoes every kind of change, one step each, in order', () => {
    let h = createHistory(EMPTY_DOCUMENT);
    const seen = [h.present];
    for (const step of steps) {
      h = step.apply(h);
      expect(h.present, step.name).not.toBe(seen[seen.length - 1]);
      seen.push(h.present);
    }
    expect(h.past.length).toBe(steps.length);
    for (let i = seen.length - 2; i >= 0; i--) {
      h = undo(h);
      expect(h.present).toBe(seen[i]);
    }
    expect(undo(h)).toBe(h);
    for (let i = 1; i < seen.length; i++) {
      h = redo(h);
      expect(h.present).toBe(seen[i]);
    }
    expect(redo(h)).toBe(h);
  });

  it('starts a new step for the same field after a pause, and forgets the redo branch on a new change', () => {
    let h = createHistory(EMPTY_DOCUMENT);
    h = commit(h, addNode(h.present, 'b', { node_type: 'flow_end' }));
    h = commit(h, setNodeField(h.present, 'b', 'label', 'x'), { group: 'b:label', at: 0 });
    h = commit(h, setNodeField(h.present, 'b', 'label', 'xy'), { group: 'b:label', at: GROUP_WINDOW_MS + 1 });
    expect(h.past.length).toBe(3);
    h = undo(h);
    expect(h.present.nodes.b.label).toBe('x');
    h = commit(h, setNodeField(h.present, 'b', 'label', 'other'));
    expect(h.future).toEqual([]);
  });

  it('records nothing for a change that changes nothing (a click without a drag)', () => {
    const h = commit(createHistory(EMPTY_DOCUMENT), addNode(EMPTY_DOCUMENT, 'a', { node_type: 'flow_end' }));
    expect(commit(h, moveNodes(h.present, new Map()))).toBe(h);
  });
});
