/**
 * @module editor/editor-store
 * The editor's state outside React: the document history, selection, save state, the server's
 * validation and the last test run. Components read slices with `useEditor`; keyboard commands
 * and autosave read the current state directly.
 */
import { useSyncExternalStore } from 'react';
import type { TestAnswer, ValidationResult } from '../api/types.ts';
import { type CommitOptions, commit, createHistory, type History } from './history.ts';
import type { WorkflowDocument } from './workflow-document.ts';

export type SaveStatus = 'saved' | 'saving' | 'unsaved' | 'failed' | 'conflict';

export interface EditorState {
  readonly history: History<WorkflowDocument>;
  readonly selection: ReadonlySet<string>;
  readonly selectedEdges: ReadonlySet<string>;
  /** The document the server last accepted, and its version (sent as expected_version). */
  readonly saved: WorkflowDocument;
  readonly version: number;
  readonly save: SaveStatus;
  readonly saveError: string | null;
  /** The version the server holds when a save met VERSION_CONFLICT. */
  readonly conflictVersion: number | null;
  readonly hasUnpublishedChanges: boolean;
  readonly publishedVersion: number | null;
  readonly validation: ValidationResult | null;
  readonly test: TestAnswer | null;
  /** Outputs pinned from test runs, sent as mock_outputs on the next test only. */
  readonly pins: Readonly<Record<string, unknown>>;
  /** A published snapshot shown read-only instead of the working copy. */
  readonly snapshot: { readonly version: number; readonly doc: WorkflowDocument } | null;
}

export interface EditorStore {
  get(): EditorState;
  set(change: (state: EditorState) => EditorState): void;
  subscribe(listener: () => void): () => void;
}

export function initialEditorState(doc: WorkflowDocument, version: number): EditorState {
  return {
    history: createHistory(doc),
    selection: new Set(),
    selectedEdges: new Set(),
    saved: doc,
    version,
    save: 'saved',
    saveError: null,
    conflictVersion: null,
    hasUnpublishedChanges: false,
    publishedVersion: null,
    validation: null,
    test: null,
    pins: {},
    snapshot: null,
  };
}

export function createEditorStore(initial: EditorState): EditorStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(change) {
      const next = change(state);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function useEditor<T>(store: EditorStore, select: (state: EditorState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}

/** The document on screen: a snapshot being viewed, else the working copy. */
export function shownDocument(state: EditorState): WorkflowDocument {
  return state.snapshot?.doc ?? state.history.present;
}

/** Applies a change to the working copy as one undo step (nothing while a snapshot is shown). */
export function edit(
  store: EditorStore,
  change: (doc: WorkflowDocument) => WorkflowDocument,
  options?: CommitOptions,
): void {
  store.set((state) => {
    if (state.snapshot) return state;
    const history = commit(state.history, change(state.history.present), options);
    return history === state.history ? state : withHistory(state, history);
  });
}

/** The state with a new history; the save status follows whether it differs from the saved one. */
export function withHistory(state: EditorState, history: History<WorkflowDocument>): EditorState {
  const dirty = history.present !== state.saved;
  const save: SaveStatus =
    state.save === 'conflict' || state.save === 'saving' || (state.save === 'failed' && dirty)
      ? state.save
      : dirty
        ? 'unsaved'
        : 'saved';
  // Selected nodes that no longer exist are dropped from the selection.
  const nodes = history.present.nodes;
  const selection = [...state.selection].every((id) => nodes[id])
    ? state.selection
    : new Set([...state.selection].filter((id) => nodes[id]));
  return { ...state, history, save, selection };
}

export function select(store: EditorStore, nodes: Iterable<string>, edges: Iterable<string> = []): void {
  store.set((state) => ({ ...state, selection: new Set(nodes), selectedEdges: new Set(edges) }));
}
