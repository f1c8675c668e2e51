/**
 * @module editor/save-status
 * "Saving… / Saved / Not saved": where the working copy stands, announced politely.
 */
import { type EditorStore, useEditor } from './editor-store.ts';

const TEXT = {
  saved: 'Saved',
  saving: 'Saving…',
  unsaved: 'Not saved',
  failed: 'Not saved',
  conflict: 'Not saved: changed elsewhere',
} as const;

export function SaveStatus({ store }: { store: EditorStore }) {
  const status = useEditor(store, (s) => s.save);
  const error = useEditor(store, (s) => s.saveError);
  return (
    <span className={`save-status save-${status}`} role="status" aria-live="polite" title={error ?? undefined}>
      {TEXT[status]}
      {status === 'failed' && error ? ` (retrying: ${error})` : ''}
    </span>
  );
}
