/**
 * @module editor/node-moves
 * React Flow's position changes folded into what the editor does with them. While a node is being
 * dragged its positions stay on the canvas (a preview), so the document, its history and every
 * panel reading it do not change on each mouse move; the gesture ends with one change to commit,
 * which becomes one undo step. A move without a drag (arrow keys) commits at once.
 */
import type { Position } from './workflow-document.ts';

export interface PositionChange {
  readonly id: string;
  readonly position: Position;
  /** React Flow's flag: true while the pointer still holds the node. */
  readonly dragging?: boolean;
}

export interface FoldedMoves {
  /** Positions to show on top of the document while the drag goes on; null when none is in progress. */
  readonly preview: ReadonlyMap<string, Position> | null;
  /** Positions to commit to the document now, as one step; null while dragging. */
  readonly commit: ReadonlyMap<string, Position> | null;
  /** The committed move ends a drag (one step of its own) rather than nudging by keyboard. */
  readonly dragged: boolean;
}

export function foldMoves(
  preview: ReadonlyMap<string, Position> | null,
  changes: readonly PositionChange[],
): FoldedMoves {
  if (changes.length === 0) return { preview, commit: null, dragged: false };
  const next = new Map(preview ?? []);
  let settled = false;
  for (const change of changes) {
    next.set(change.id, change.position);
    if (!change.dragging) settled = true;
  }
  return settled
    ? { preview: null, commit: next, dragged: preview !== null }
    : { preview: next, commit: null, dragged: false };
}

/** A drag that ended without React Flow's final position change (an aborted drag): what it moved. */
export function endDrag(preview: ReadonlyMap<string, Position> | null): FoldedMoves {
  return { preview: null, commit: preview?.size ? preview : null, dragged: true };
}
