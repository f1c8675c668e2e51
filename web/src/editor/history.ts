/**
 * @module editor/history
 * One undo history for every change to the document: add, move, connect, delete, config edits,
 * paste, restore. Pure: each function returns a new history. Typing in one field within a second
 * is one step (a `group` key); a drag is one step however many frames it took, because the canvas
 * commits it only when the pointer lets go (node-moves).
 */

export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  /** The group and time of the last commit, so the next edit of the same field can join it. */
  readonly lastGroup?: { readonly key: string; readonly at: number };
}

export const HISTORY_LIMIT = 200;
export const GROUP_WINDOW_MS = 1000;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

export interface CommitOptions {
  /** Edits with the same key within GROUP_WINDOW_MS of each other become one step. */
  readonly group?: string;
  readonly at?: number;
}

export function commit<T>(history: History<T>, next: T, options: CommitOptions = {}): History<T> {
  if (next === history.present) return history;
  const at = options.at ?? Date.now();
  const joins =
    options.group !== undefined &&
    history.lastGroup?.key === options.group &&
    at - history.lastGroup.at <= GROUP_WINDOW_MS &&
    history.future.length === 0 &&
    history.past.length > 0;
  return {
    past: joins ? history.past : [...history.past, history.present].slice(-HISTORY_LIMIT),
    present: next,
    future: [],
    lastGroup: options.group !== undefined ? { key: options.group, at } : undefined,
  };
}

export function undo<T>(history: History<T>): History<T> {
  if (history.past.length === 0) return history;
  return {
    past: history.past.slice(0, -1),
    present: history.past[history.past.length - 1],
    future: [history.present, ...history.future],
  };
}

export function redo<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  return {
    past: [...history.past, history.present],
    present: history.future[0],
    future: history.future.slice(1),
  };
}

/** Replaces everything (a reload from the server): nothing to undo into. */
export function reset<T>(present: T): History<T> {
  return createHistory(present);
}
