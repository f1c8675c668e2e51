/**
 * @module transfer/import-dialog
 * Import: an exported workflow (`workflow-core/1`) from a file or pasted text becomes a new draft
 * in the list's entity, opened in the editor, which lists the credentials and workflows it lacks.
 */
import { type ChangeEvent, type FormEvent, useState } from 'react';
import '../reuse.css';
import type { ApiError } from '../api/client.ts';
import { readPortable } from '../editor/clipboard.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { asApiError } from '../runs/use-load.ts';
import { ModalDialog } from '../shell/modal-dialog.tsx';
import { useSession } from '../shell/session-context.tsx';
import { importAndOpen } from './open-import.ts';

/** Larger than any workflow the API accepts; a bigger file is surely something else. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export default function ImportDialog({ entityId, onClose }: { entityId: number; onClose: () => void }) {
  const { api } = useSession();
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const document = text.trim() ? readPortable(text) : null;

  async function pickFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setProblem(`${file.name} is larger than 5 MB; an exported workflow is much smaller.`);
      return;
    }
    setText(await file.text());
    setProblem(null);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!document) {
      setProblem(
        'This is not an exported workflow: expected JSON with "format": "workflow-core/1", nodes and connections.',
      );
      return;
    }
    setBusy(true);
    try {
      await importAndOpen(api, entityId, document, name.trim() || undefined);
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(false);
    }
  }

  return (
    <ModalDialog labelledBy="import-title" onClose={onClose} className="import-dialog">
      <form onSubmit={submit} noValidate>
        <h2 id="import-title">Import a workflow into entity {entityId}</h2>
        <p className="muted">
          Choose an exported file (Export in the editor) or paste its JSON. It becomes a new draft; credentials and
          called workflows are matched by name.
        </p>
        <label htmlFor="import-file">File</label>
        <input id="import-file" type="file" accept=".json,application/json" onChange={pickFile} />
        <label htmlFor="import-text">Exported JSON</label>
        <textarea
          id="import-text"
          data-autofocus
          rows={10}
          value={text}
          spellCheck={false}
          onChange={(event) => {
            setText(event.target.value);
            setProblem(null);
            setError(null);
          }}
        />
        {document && (
          <p className="muted" role="status">
            {document.name}: {Object.keys(document.nodes).length} nodes
            {document.credentials?.length ? `, uses the credentials ${document.credentials.join(', ')}` : ''}.
          </p>
        )}
        <label htmlFor="import-name">Name (optional)</label>
        <input
          id="import-name"
          value={name}
          maxLength={200}
          placeholder={document?.name ?? 'the exported name'}
          onChange={(event) => setName(event.target.value)}
        />
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        <ApiErrorNotice error={error} title="Not imported" />
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !text.trim()}>
            {busy ? 'Importing…' : 'Import as a draft'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
