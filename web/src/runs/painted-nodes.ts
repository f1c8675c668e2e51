/**
 * @module runs/painted-nodes
 * The run canvas's React Flow nodes from the workflow's nodes and each one's paint (status, run
 * count, error, selection). A node whose paint did not change keeps the object it had: React Flow
 * keeps such a node as it is (measured, not drawn again), so a live event or a click hands it only
 * the nodes it changed; a new object would lose its measured size until measured again. Pure.
 */
import type { Node } from '@xyflow/react';
import type { WorkflowNode } from '../api/types.ts';

export interface PaintedNodeData extends Record<string, unknown> {
  readonly label: string;
  readonly node: WorkflowNode;
  readonly status: string;
  readonly runs: number;
  readonly isError: boolean;
  readonly selected: boolean;
}

export type PaintedNode = Node<PaintedNodeData>;

export interface Paint {
  readonly status: string;
  readonly runs: number;
  readonly isError: boolean;
  readonly selected: boolean;
}

function samePaint(before: PaintedNode, node: WorkflowNode, paint: Paint, x: number, y: number): boolean {
  const data = before.data;
  return (
    data.node === node &&
    data.status === paint.status &&
    data.runs === paint.runs &&
    data.isError === paint.isError &&
    data.selected === paint.selected &&
    before.position.x === x &&
    before.position.y === y
  );
}

/** The nodes to draw, reusing from `previous` (by id) every one whose paint is unchanged. */
export function paintNodes(
  nodes: Readonly<Record<string, WorkflowNode>>,
  paintOf: (nodeId: string) => Paint,
  previous: ReadonlyMap<string, PaintedNode>,
): PaintedNode[] {
  return Object.entries(nodes).map(([id, node], index) => {
    const paint = paintOf(id);
    const position = node.position ?? { x: (index % 4) * 240, y: Math.floor(index / 4) * 140 };
    const before = previous.get(id);
    if (before && samePaint(before, node, paint, position.x, position.y)) return before;
    const label = node.label || id;
    return {
      id,
      type: 'run',
      position,
      data: { label, node, ...paint },
      draggable: false,
      connectable: false,
      ariaLabel: `${label}: ${paint.status}`,
    };
  });
}
