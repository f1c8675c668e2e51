/**
 * @module editor/editor-workspace
 * The loaded editor: toolbar, banners, palette, canvas, side panel and dialogs; keyboard commands
 * and the clipboard (an exported workflow pastes too); export; autosave and the leave guard.
 */
import type { ReactFlowInstance } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { exportWorkflow } from '../api/reuse-api.ts';
import type { ValidationResult, WorkflowSettings } from '../api/types.ts';
import { getWorkflow, publishWorkflow } from '../api/workflows-api.ts';
import { link } from '../shell/app-header.tsx';
import { dialogOpen } from '../shell/modal-dialog.tsx';
import { setLeaveGuard } from '../shell/router.ts';
import { useSession } from '../shell/session-context.tsx';
import { downloadJson, exportFileName } from '../transfer/export-file.ts';
import { type ImportNotice, noticeLines, takeImportNotice } from '../transfer/import-notice.ts';
import type { CanvasEdge, CanvasNode } from './canvas-model.ts';
import { type Clip, copySelection, parseClip, pasteClip, pasteNotice, serializeClip } from './clipboard.ts';
import { ConflictDialog } from './conflict-dialog.tsx';
import type { LoadedWorkflow } from './editor-page.tsx';
import { storeFor } from './editor-page.tsx';
import { type EditorStore, edit, select, useEditor, withHistory } from './editor-store.ts';
import { redo, undo } from './history.ts';
import { type ActionName, actionFor, isTyping } from './keymap.ts';
import { NodePalette } from './node-palette.tsx';
import { NodePanel } from './node-panel.tsx';
import { type PublishOutcome, PublishResult } from './publish-result.tsx';
import { SaveStatus } from './save-status.tsx';
import { SettingsPanel } from './settings-panel.tsx';
import { ShortcutHelp } from './shortcut-help.tsx';
import { TestPanel } from './test-panel.tsx';
import { tidyPositions } from './tidy-layout.ts';
import { overwriteServerCopy, revalidate, saveNow, saveWorkflowFields, useAutosave } from './use-autosave.ts';
import { SnapshotBanner, VersionsPanel } from './versions-panel.tsx';
import { WorkflowCanvas } from './workflow-canvas.tsx';
import { addNode, freeNodeId, moveNodes, type Position, removeElements } from './workflow-document.ts';

type SidePanel = 'node' | 'versions' | 'test' | 'settings';

export function EditorWorkspace({
  loaded,
  onReloaded,
}: {
  loaded: LoadedWorkflow;
  onReloaded: (loaded: LoadedWorkflow) => void;
}) {
  const { api } = useSession();
  const { workflow, types, catalog, store } = loaded;
  const workflowId = workflow.workflow_id;
  const [panel, setPanel] = useState<SidePanel>('node');
  const [help, setHelp] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [outcome, setOutcome] = useState<PublishOutcome | null>(null);
  const flow = useRef<ReactFlowInstance<CanvasNode, CanvasEdge> | null>(null);
  const publishButton = useRef<HTMLButtonElement>(null);
  const clip = useRef<Clip | null>(null);
  const [settings, setSettings] = useState<WorkflowSettings>(workflow.settings);
  const [pasted, setPasted] = useState<string | null>(null);
  const [imported, setImported] = useState<ImportNotice | null>(() => takeImportNotice(workflowId));
  const [exportError, setExportError] = useState<string | null>(null);
  const selection = useEditor(store, (s) => s.selection);
  const save = useEditor(store, (s) => s.save);
  const conflictVersion = useEditor(store, (s) => s.conflictVersion);
  const unpublished = useEditor(store, (s) => s.hasUnpublishedChanges);
  const publishedVersion = useEditor(store, (s) => s.publishedVersion);
  const readOnly = useEditor(store, (s) => s.snapshot !== null);
  const canUndo = useEditor(store, (s) => s.history.past.length > 0 && !s.snapshot);
  const canRedo = useEditor(store, (s) => s.history.future.length > 0 && !s.snapshot);
  const selectedId = selection.size === 1 ? [...selection][0] : null;

  useAutosave(store, api, workflowId);
  useLeaveGuard(store);

  const addNodeAt = useCallback(
    (nodeType: string, position?: Position) => {
      const at = position ?? viewCenter(flow.current);
      let id = '';
      edit(store, (doc) => {
        id = freeNodeId(nodeType, doc.nodes);
        return addNode(doc, id, { node_type: nodeType, position: at, config: {} });
      });
      select(store, [id]);
      setPanel('node');
    },
    [store],
  );

  const run = useCallback(
    (action: ActionName) => {
      const state = store.get();
      switch (action) {
        case 'undo':
          store.set((s) => (s.snapshot ? s : withHistory(s, undo(s.history))));
          return;
        case 'redo':
          store.set((s) => (s.snapshot ? s : withHistory(s, redo(s.history))));
          return;
        case 'delete':
          edit(store, (doc) => removeElements(doc, state.selection, state.selectedEdges));
          store.set((s) => ({ ...s, selectedEdges: new Set() }));
          return;
        case 'selectAll':
          select(store, Object.keys(state.history.present.nodes));
          return;
        case 'rename':
          if (state.selection.size === 1) {
            setPanel('node');
            setTimeout(() => document.getElementById('node-label')?.focus(), 0);
          }
          return;
        case 'tidy':
          edit(store, (doc) => moveNodes(doc, tidyPositions(doc, catalog, measuredSizes(flow.current))));
          setTimeout(() => flow.current?.fitView({ duration: 200, maxZoom: 1 }), 50);
          return;
        case 'fit':
          flow.current?.fitView({ duration: 200, maxZoom: 1 });
          return;
        case 'test':
          setPanel('test');
          return;
        case 'save':
          void saveNow(store);
          return;
        case 'escape':
          select(store, []);
          setHelp(false);
          return;
        case 'help':
          setHelp(true);
          return;
        default:
          return;
      }
    },
    [store, catalog],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = actionFor(event);
      if (!action || action === 'copy' || action === 'cut' || action === 'paste') return;
      if (isTyping(event.target) && action !== 'save') return;
      // An open dialog owns the keys; its Escape (the dialog's cancel) must keep its default.
      if (dialogOpen()) return;
      event.preventDefault();
      run(action);
    };
    // The clipboard events carry the text, so copy and paste work across tabs and apps.
    const onCopy = (event: ClipboardEvent, cut: boolean) => {
      if (isTyping(event.target) || document.getSelection()?.toString()) return;
      const state = store.get();
      if (state.selection.size === 0) return;
      const copied = copySelection(state.snapshot?.doc ?? state.history.present, state.selection);
      clip.current = copied;
      event.clipboardData?.setData('text/plain', serializeClip(copied));
      event.preventDefault();
      if (cut) edit(store, (doc) => removeElements(doc, state.selection));
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTyping(event.target) || store.get().snapshot) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      const pasted = (text && parseClip(text)) || clip.current;
      if (!pasted) return;
      event.preventDefault();
      let ids: string[] = [];
      edit(store, (doc) => {
        const result = pasteClip(doc, pasted);
        ids = result.ids;
        return result.doc;
      });
      select(store, ids);
      setPasted(pasteNotice(pasted, ids));
    };
    const copy = (event: ClipboardEvent) => onCopy(event, false);
    const cut = (event: ClipboardEvent) => onCopy(event, true);
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', onPaste);
    };
  }, [run, store]);

  async function reload() {
    const fresh = await getWorkflow(api, workflowId);
    onReloaded({ ...loaded, workflow: fresh, store: storeFor(fresh) });
  }

  async function publish() {
    setPublishing(true);
    try {
      if (!(await saveNow(store))) {
        setOutcome({ ok: false, message: 'The working copy is not saved yet; publish publishes the saved copy.' });
        return;
      }
      const answer = await publishWorkflow(api, workflowId);
      store.set((s) => ({ ...s, hasUnpublishedChanges: false, publishedVersion: answer.version }));
      await revalidate(store);
      setOutcome({ ok: true, version: answer.version, warnings: store.get().validation?.warnings ?? [] });
    } catch (failure) {
      const validation =
        failure instanceof ApiError && failure.code === 'VALIDATION_FAILED'
          ? (failure.details as unknown as ValidationResult)
          : undefined;
      if (validation) store.set((s) => ({ ...s, validation }));
      setOutcome({ ok: false, message: (failure as Error).message, validation });
    } finally {
      setPublishing(false);
    }
  }

  async function rename(name: string) {
    if (!name.trim() || name === workflow.name) return;
    try {
      await saveWorkflowFields(store, api, workflowId, { name });
    } catch {
      // The name is not part of the undo history; a failed rename keeps the old name shown on reload.
    }
  }

  async function exportFile() {
    try {
      const document = await exportWorkflow(api, workflowId);
      downloadJson(exportFileName(document.name), document);
      setExportError(null);
    } catch (failure) {
      setExportError((failure as Error).message);
    }
  }

  const togglePanel = (which: SidePanel) => setPanel(panel === which ? 'node' : which);

  return (
    <div className="editor">
      <div className="toolbar" role="toolbar" aria-label="Editor">
        <a className="back" {...link('/')} title="Back to the workflows">
          ← <span className="sr-only">Back to the workflows</span>
        </a>
        <label className="sr-only" htmlFor="workflow-name">
          Workflow name
        </label>
        <input
          id="workflow-name"
          className="workflow-name"
          defaultValue={workflow.name}
          onBlur={(event) => void rename(event.target.value)}
          maxLength={200}
        />
        <SaveStatus store={store} />
        <span className="spacer" />
        <button type="button" onClick={() => run('undo')} disabled={!canUndo} title="Ctrl+Z">
          Undo
        </button>
        <button type="button" onClick={() => run('redo')} disabled={!canRedo} title="Ctrl+Shift+Z">
          Redo
        </button>
        <button type="button" onClick={() => run('tidy')} disabled={readOnly} title="Shift+T">
          Tidy up
        </button>
        <button type="button" onClick={() => togglePanel('versions')} aria-pressed={panel === 'versions'}>
          Versions
        </button>
        <button type="button" onClick={() => togglePanel('settings')} aria-pressed={panel === 'settings'}>
          Settings
        </button>
        <button type="button" onClick={() => void exportFile()} title="Download as a workflow-core/1 file">
          Export
        </button>
        <button
          type="button"
          onClick={() => setPanel(panel === 'test' ? 'node' : 'test')}
          aria-pressed={panel === 'test'}
          disabled={readOnly}
        >
          Test
        </button>
        <button
          type="button"
          className="primary"
          ref={publishButton}
          onClick={publish}
          disabled={publishing || readOnly}
        >
          {publishing ? 'Publishing…' : 'Publish'}
        </button>
        <a className="toolbar-link" {...link(`/workflows/${workflowId}/operations`)}>
          Runs &amp; operations
        </a>
        <button type="button" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
      {unpublished && !readOnly && (
        <div className="banner banner-warn" role="status">
          {publishedVersion
            ? `The working copy differs from published version ${publishedVersion}: runs use version ${publishedVersion} until you publish.`
            : 'Not published yet: only test runs use this working copy until you publish.'}
        </div>
      )}
      <SnapshotBanner store={store} />
      {imported && (
        <div className="banner banner-info" role="status" aria-label="Imported">
          <strong>Created “{imported.name}” as a draft.</strong> {noticeLines(imported).join(' ')}{' '}
          {imported.missingCredentials.length > 0 && <a {...link('/credentials')}>Credentials</a>}
          <button type="button" className="link-button" onClick={() => setImported(null)}>
            Dismiss
          </button>
        </div>
      )}
      {pasted && (
        <div className="banner banner-info" role="status" aria-label="Pasted">
          {pasted}{' '}
          <button type="button" className="link-button" onClick={() => setPasted(null)}>
            Dismiss
          </button>
        </div>
      )}
      {exportError && (
        <div className="banner banner-warn" role="alert">
          Export failed: {exportError}
        </div>
      )}
      <div className="editor-body">
        <NodePalette types={types} onAdd={(type) => addNodeAt(type)} disabled={readOnly} />
        <WorkflowCanvas
          store={store}
          catalog={catalog}
          entityId={workflow.entity_id}
          onAddNode={addNodeAt}
          onReady={(instance) => {
            flow.current = instance;
            document.body.dataset.editorReady = 'true';
          }}
          onOpenNode={(id) => {
            select(store, [id]);
            setPanel('node');
          }}
        />
        {panel === 'versions' && <VersionsPanel store={store} api={api} workflowId={workflowId} />}
        {panel === 'test' && <TestPanel store={store} api={api} workflowId={workflowId} />}
        {panel === 'settings' && (
          <SettingsPanel
            store={store}
            workflowId={workflowId}
            entityId={workflow.entity_id}
            settings={settings}
            onSaved={setSettings}
            readOnly={readOnly}
          />
        )}
        {panel === 'node' && selectedId && (
          <NodePanel
            store={store}
            catalog={catalog}
            nodeId={selectedId}
            workflowId={workflowId}
            entityId={workflow.entity_id}
            globals={workflow.global_variables}
          />
        )}
        {panel === 'node' && !selectedId && <EmptyPanel count={selection.size} />}
      </div>
      {save === 'conflict' && (
        <ConflictDialog
          serverVersion={conflictVersion}
          onReload={() => void reload()}
          onOverwrite={() => overwriteServerCopy(store)}
        />
      )}
      {outcome && <PublishResult outcome={outcome} onClose={() => setOutcome(null)} publishButton={publishButton} />}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </div>
  );
}

function EmptyPanel({ count }: { count: number }) {
  return (
    <aside className="side-panel" aria-label="Selection">
      <h2>{count > 1 ? `${count} nodes selected` : 'No node selected'}</h2>
      <p className="muted">
        Drag a node from the palette (or press Enter on one), connect ports by dragging from an output to an input,
        click a node to configure it. Press <kbd>?</kbd> for shortcuts.
      </p>
    </aside>
  );
}

function viewCenter(flow: ReactFlowInstance<CanvasNode, CanvasEdge> | null): Position {
  const box = document.querySelector('.canvas')?.getBoundingClientRect();
  if (!flow || !box) return { x: 0, y: 0 };
  const at = flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 });
  // A little scatter, so several nodes added in a row do not land on top of each other.
  const jitter = (Date.now() % 7) * 12;
  return { x: Math.round(at.x - 100 + jitter), y: Math.round(at.y - 30 + jitter) };
}

function measuredSizes(flow: ReactFlowInstance<CanvasNode, CanvasEdge> | null) {
  const sizes = new Map<string, { width: number; height: number }>();
  for (const node of flow?.getNodes() ?? []) {
    if (node.measured?.width && node.measured.height)
      sizes.set(node.id, { width: node.measured.width, height: node.measured.height });
  }
  return sizes;
}

/** Asks before leaving (tab close, reload, in-app navigation) while edits are not saved. */
function useLeaveGuard(store: EditorStore) {
  useEffect(() => {
    const unsaved = () => {
      const s = store.get();
      return s.history.present !== s.saved;
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!unsaved()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    setLeaveGuard(() => (unsaved() ? 'Your latest edits are not saved yet. Leave anyway?' : null));
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      setLeaveGuard(null);
    };
  }, [store]);
}
