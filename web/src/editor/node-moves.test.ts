import { describe, expect, it } from 'vitest';
import { commit, createHistory, undo } from './history.ts';
import { endDrag, foldMoves } from './node-moves.ts';
import { moveNodes, type WorkflowDocument } from './workflow-document.ts';

const doc: WorkflowDocument = {
  nodes: {
    a: { node_type: 'trigger_manual', position: { x: 0, y: 0 } },
    b: { node_type: 'action_chat_message', position: { x: 300, y: 0 } },
  },
  connections: [],
};

describe('node moves', () => {
  it('keeps a drag as a preview until the pointer lets go, then commits it as one undo step', () => {
    let preview = null as ReturnType<typeof foldMoves>['preview'];
    for (let x = 1; x <= 30; x++) {
      const folded = foldMoves(preview, [{ id: 'a', position: { x, y: x * 2 }, dragging: true }]);
      expect(folded.commit).toBeNull();
      preview = folded.preview;
    }
    expect(preview?.get('a')).toEqual({ x: 30, y: 60 });
    const end = foldMoves(preview, [{ id: 'a', position: { x: 31, y: 62 }, dragging: false }]);
    expect(end.preview).toBeNull();
    expect(end.dragged).toBe(true);
    expect([...(end.commit ?? [])]).toEqual([['a', { x: 31, y: 62 }]]);

    const before = createHistory(doc);
    const after = commit(before, moveNodes(doc, end.commit ?? new Map()));
    expect(after.past).toHaveLength(1);
    expect(after.present.nodes.a.position).toEqual({ x: 31, y: 62 });
    expect(after.present.nodes.b).toBe(doc.nodes.b);
    expect(undo(after).present).toBe(doc);
  });

  it('moves every dragged node of a multi-selection in the one step', () => {
    const moving = foldMoves(null, [
      { id: 'a', position: { x: 10, y: 10 }, dragging: true },
      { id: 'b', position: { x: 310, y: 10 }, dragging: true },
    ]);
    const end = foldMoves(moving.preview, [
      { id: 'a', position: { x: 20, y: 20 }, dragging: false },
      { id: 'b', position: { x: 320, y: 20 }, dragging: false },
    ]);
    expect(Object.fromEntries(end.commit ?? [])).toEqual({ a: { x: 20, y: 20 }, b: { x: 320, y: 20 } });
  });

  it('commits a move without a drag (arrow keys) at once, marked as a nudge', () => {
    const nudge = foldMoves(null, [{ id: 'b', position: { x: 305, y: 0 } }]);
    expect(nudge.preview).toBeNull();
    expect(nudge.dragged).toBe(false);
    expect(nudge.commit?.get('b')).toEqual({ x: 305, y: 0 });
  });

  it('ends a drag that got no final position with what it moved, and a click with nothing', () => {
    const moving = foldMoves(null, [{ id: 'a', position: { x: 5, y: 5 }, dragging: true }]);
    expect(endDrag(moving.preview).commit?.get('a')).toEqual({ x: 5, y: 5 });
    expect(endDrag(null).commit).toBeNull();
    expect(foldMoves(null, [])).toEqual({ preview: null, commit: null, dragged: false });
  });

  it('records nothing for a drag that ends where it started', () => {
    const h = createHistory(doc);
    const back = foldMoves(foldMoves(null, [{ id: 'a', position: { x: 9, y: 9 }, dragging: true }]).preview, [
      { id: 'a', position: { x: 0, y: 0 }, dragging: false },
    ]);
    expect(commit(h, moveNodes(doc, back.commit ?? new Map()))).toBe(h);
  });
});
