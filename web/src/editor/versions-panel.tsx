/**
 * @module editor/versions-panel
 * The published versions: open one read-only on the canvas, restore it into the working copy
 * (an ordinary edit: undoable, autosaved, published only when you publish).
 */
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client.ts';
import type { VersionSummary } from '../api/types.ts';
import { getVersion, listVersions } from '../api/workflows-api.ts';
import { type EditorStore, edit, useEditor } from './editor-store.ts';

export function VersionsPanel({ store, api, workflowId }: { store: EditorStore; api: ApiClient; workflowId: string }) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const viewing = useEditor(store, (s) => s.snapshot?.version ?? null);
  const published = useEditor(store, (s) => s.publishedVersion);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new publish lists the new version
  useEffect(() => {
    listVersions(api, workflowId).then(
      (answer) => setVersions([...answer.data].sort((a, b) => b.version - a.version)),
      (failure: Error) => setError(failure.message),
    );
  }, [api, workflowId, published]);

  async function open(version: number) {
    try {
      const snapshot = await getVersion(api, workflowId, version);
      store.set((s) => ({
        ...s,
        selection: new Set(),
        snapshot: { version, doc: { nodes: snapshot.nodes, connections: snapshot.connections } },
      }));
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <aside className="side-panel" aria-label="Versions">
      <h2>Versions</h2>
      {error && <p className="error">{error}</p>}
      {versions?.length === 0 && <p className="muted">Nothing published yet.</p>}
      <ul className="versions">
        {versions?.map((v) => (
          <li key={v.version} className={viewing === v.version ? 'current' : undefined}>
            <button type="button" className="link" onClick={() => open(v.version)}>
              Version {v.version}
            </button>{' '}
            <span className="muted">{new Date(v.published_at).toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** The banner over a snapshot being viewed: back to the working copy, or restore it. */
export function SnapshotBanner({ store }: { store: EditorStore }) {
  const snapshot = useEditor(store, (s) => s.snapshot);
  if (!snapshot) return null;
  const back = () => store.set((s) => ({ ...s, snapshot: null, selection: new Set() }));
  return (
    <div className="banner banner-info" role="status">
      Viewing published version {snapshot.version} (read-only).{' '}
      <button
        type="button"
        className="primary"
        onClick={() => {
          back();
          edit(store, () => snapshot.doc);
        }}
      >
        Restore into working copy
      </button>{' '}
      <button type="button" onClick={back}>
        Back to working copy
      </button>
    </div>
  );
}
