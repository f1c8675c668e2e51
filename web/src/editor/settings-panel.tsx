/**
 * @module editor/settings-panel
 * The workflow's settings in the side panel: the error workflow (another workflow of the entity,
 * started when a run of this one fails), saved as `settings.error_workflow_id`.
 */
import { useState } from 'react';
import type { WorkflowSettings } from '../api/types.ts';
import { useSession } from '../shell/session-context.tsx';
import type { EditorStore } from './editor-store.ts';
import { saveWorkflowFields } from './use-autosave.ts';
import { WorkflowPicker } from './workflow-picker.tsx';

export function SettingsPanel({
  store,
  workflowId,
  entityId,
  settings,
  onSaved,
  readOnly,
}: {
  store: EditorStore;
  workflowId: string;
  entityId: number;
  settings: WorkflowSettings;
  onSaved: (settings: WorkflowSettings) => void;
  readOnly: boolean;
}) {
  const { api } = useSession();
  const [state, setState] = useState<{ saving: boolean; error: string | null; saved: boolean }>({
    saving: false,
    error: null,
    saved: false,
  });
  const errorWorkflow = typeof settings.error_workflow_id === 'string' ? settings.error_workflow_id : undefined;

  async function setErrorWorkflow(id: string | undefined) {
    const next: WorkflowSettings = { ...settings, error_workflow_id: id ?? null };
    setState({ saving: true, error: null, saved: false });
    try {
      await saveWorkflowFields(store, api, workflowId, { settings: next });
      onSaved(next);
      setState({ saving: false, error: null, saved: true });
    } catch (failure) {
      setState({ saving: false, error: (failure as Error).message, saved: false });
    }
  }

  return (
    <aside className="side-panel settings-panel" aria-label="Workflow settings">
      <h2>Settings</h2>
      <label htmlFor="error-workflow">Error workflow</label>
      <WorkflowPicker
        id="error-workflow"
        entityId={entityId}
        excludeId={workflowId}
        value={errorWorkflow}
        onChange={(id) => void setErrorWorkflow(id)}
        disabled={readOnly || state.saving}
        emptyLabel="None"
      />
      <p className="muted small">
        When a run of this workflow fails, the error workflow starts with <code>execution_id</code>,{' '}
        <code>workflow_name</code>, <code>error_message</code> and <code>error_node_id</code> as its trigger data. It
        runs its published version.
      </p>
      <p role="status" className={state.error ? 'error' : 'muted small'}>
        {state.saving ? 'Saving…' : state.error ? `Not saved: ${state.error}` : state.saved ? 'Saved.' : ''}
      </p>
    </aside>
  );
}
