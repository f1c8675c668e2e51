/**
 * @module editor/use-autosave
 * Saves the working copy about a second after the last change, with the version it was made on
 * (`expected_version`). A failed save keeps the edits and retries with a growing pause; a version
 * conflict stops and waits for the user's choice (reload or overwrite). After each save the server
 * validates the workflow, and its messages go onto the nodes and fields.
 */
import { useEffect } from 'react';
import { type ApiClient, ApiError } from '../api/client.ts';
import { updateWorkflow, validateWorkflow, type WorkflowUpdate } from '../api/workflows-api.ts';
import type { EditorStore } from './editor-store.ts';

export const SAVE_DEBOUNCE_MS = 1000;
const RETRY_MS = [2000, 4000, 8000, 15000, 30000];

export function useAutosave(store: EditorStore, api: ApiClient, workflowId: string): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let inFlight = false;
    let stopped = false;

    async function save(overwrite = false) {
      const state = store.get();
      const doc = state.history.present;
      if (inFlight || stopped || (doc === state.saved && !overwrite)) return;
      if (state.save === 'conflict' && !overwrite) return;
      inFlight = true;
      store.set((s) => ({ ...s, save: 'saving', saveError: null }));
      const expected = overwrite ? (state.conflictVersion ?? state.version) : state.version;
      try {
        const answer = await updateWorkflow(api, workflowId, {
          nodes: doc.nodes,
          connections: doc.connections,
          expected_version: expected,
        });
        failures = 0;
        store.set((s) => ({
          ...s,
          saved: doc,
          version: answer.version,
          conflictVersion: null,
          hasUnpublishedChanges: answer.has_unpublished_changes,
          save: s.history.present === doc ? 'saved' : 'unsaved',
        }));
        void validate();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') {
          const current = Number(error.details.version);
          store.set((s) => ({ ...s, save: 'conflict', conflictVersion: Number.isFinite(current) ? current : null }));
        } else {
          failures++;
          store.set((s) => ({ ...s, save: 'failed', saveError: (error as Error).message }));
        }
      } finally {
        inFlight = false;
      }
      schedule();
    }

    async function validate() {
      try {
        const validation = await validateWorkflow(api, workflowId);
        store.set((s) => ({ ...s, validation }));
      } catch {
        // Validation is advisory here; the next save tries again.
      }
    }

    function schedule() {
      clearTimeout(timer);
      const state = store.get();
      if (stopped || state.save === 'conflict' || state.history.present === state.saved) return;
      const wait = failures ? RETRY_MS[Math.min(failures - 1, RETRY_MS.length - 1)] : SAVE_DEBOUNCE_MS;
      timer = setTimeout(() => void save(), wait);
    }

    let last = store.get().history.present;
    const unsubscribe = store.subscribe(() => {
      const present = store.get().history.present;
      if (present === last) return;
      last = present;
      if (!failures) schedule();
    });
    const flush = () => void save();
    const overwrite = () => void save(true);
    saveHandles.set(store, { flush, overwrite, validate });
    void validate();
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      saveHandles.delete(store);
    };
  }, [store, api, workflowId]);
}

interface SaveHandle {
  flush(): void;
  overwrite(): void;
  validate(): Promise<void>;
}
const saveHandles = new Map<EditorStore, SaveHandle>();

/** Saves now (before publish or test), resolving once the working copy is saved or saving failed. */
export async function saveNow(store: EditorStore): Promise<boolean> {
  saveHandles.get(store)?.flush();
  for (let i = 0; i < 200; i++) {
    const state = store.get();
    if (state.save === 'saved' && state.history.present === state.saved) return true;
    if (state.save === 'conflict' || (state.save === 'failed' && i > 5)) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** After a conflict: writes this working copy over the server's version. */
export function overwriteServerCopy(store: EditorStore): void {
  saveHandles.get(store)?.overwrite();
}

export function revalidate(store: EditorStore): Promise<void> {
  return saveHandles.get(store)?.validate() ?? Promise.resolve();
}

/**
 * Saves fields the undo history does not hold (name, settings) on top of the saved working copy,
 * with its version, and takes the new version: the next autosave then does not meet this edit as
 * a conflict.
 */
export async function saveWorkflowFields(
  store: EditorStore,
  api: ApiClient,
  workflowId: string,
  fields: Omit<WorkflowUpdate, 'nodes' | 'connections' | 'expected_version'>,
) {
  await saveNow(store);
  const answer = await updateWorkflow(api, workflowId, { ...fields, expected_version: store.get().version });
  store.set((s) => ({ ...s, version: answer.version, hasUnpublishedChanges: answer.has_unpublished_changes }));
  return answer;
}
