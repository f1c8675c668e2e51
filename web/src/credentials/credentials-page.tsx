/**
 * @module credentials/credentials-page
 * An entity's credentials (/credentials): their names, types and field names; create one, set new
 * values, rename or remove fields, delete. Values are write-only: typed here, never shown again.
 */
import { type FormEvent, useState } from 'react';
import '../reuse.css';
import type { ApiError } from '../api/client.ts';
import {
  type Credential,
  createCredential,
  deleteCredential,
  listCredentials,
  updateCredential,
} from '../api/reuse-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { asApiError, useLoad } from '../runs/use-load.ts';
import { EntityPicker, isEntityId, useEntityChoice } from '../shell/entity-picker.tsx';
import { ListHead } from '../shell/list-head.tsx';
import { useSession } from '../shell/session-context.tsx';
import {
  addField,
  CREDENTIAL_TYPES,
  type CredentialDraft,
  createBody,
  draftOf,
  draftProblems,
  emptyDraft,
  isStored,
  MAX_FIELDS,
  removeField,
  setField,
  updateBody,
} from './credential-draft.ts';

export default function CredentialsPage() {
  const { api } = useSession();
  const [entity, setEntity] = useEntityChoice();
  const [editing, setEditing] = useState<Credential | 'new' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useLoad(
    async () => (isEntityId(entity) ? await listCredentials(api, Number(entity)) : { data: [], meta: undefined }),
    [api, entity],
  );
  const total = list.data?.meta?.pagination?.total ?? 0;

  async function remove(credential: Credential) {
    if (
      !window.confirm(
        `Delete the credential "${credential.name}"? Nodes that use {{ $credentials.${credential.name}.… }} fail until one with this name exists again.`,
      )
    )
      return;
    try {
      await deleteCredential(api, credential.credential_id);
      setError(null);
      setNotice(`Deleted ${credential.name}.`);
      if (editing !== 'new' && editing?.credential_id === credential.credential_id) setEditing(null);
      list.reload();
    } catch (failure) {
      setError(asApiError(failure));
    }
  }

  const rows = list.data?.data ?? [];
  return (
    <main className="page credentials-page">
      <div className="page-title">
        <h1>Credentials</h1>
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          onClick={() => {
            setEditing('new');
            setNotice(null);
          }}
          disabled={!isEntityId(entity)}
        >
          New credential
        </button>
      </div>
      <p className="muted">
        Nodes read a credential as <code>{'{{ $credentials.<name>.<field> }}'}</code>, resolved only when the node runs.
        Values are write-only: nobody sees them again here, in exports or in run records.
      </p>
      <div className="filters row">
        <EntityPicker value={entity} onChange={setEntity} />
        {list.loading && <span aria-live="polite">Loading…</span>}
      </div>
      <ApiErrorNotice error={list.error} title="The credentials could not be loaded" />
      <ApiErrorNotice error={error} title="Delete failed" />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <table className="list">
        <ListHead columns={['Name', 'Type', 'Fields', 'Updated']} />
        <tbody>
          {rows.map((credential) => (
            <tr key={credential.credential_id}>
              <td>
                <strong>{credential.name}</strong>
                {credential.description && <div className="muted">{credential.description}</div>}
              </td>
              <td>{credential.type}</td>
              <td>
                {credential.fields.map((field) => (
                  <code key={field} className="field-chip">
                    {field}
                  </code>
                ))}
              </td>
              <td>{new Date(credential.updated_at).toLocaleString()}</td>
              <td>
                <div className="row">
                  <button
                    type="button"
                    onClick={() => {
                      setEditing(credential);
                      setNotice(null);
                    }}
                    aria-label={`Edit ${credential.name}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => void remove(credential)}
                    aria-label={`Delete ${credential.name}`}
                  >
                    Delete
                  </button>
                </div>
              </td>
            </tr>
          ))}
          {!rows.length && !list.loading && (
            <tr>
              <td colSpan={5} className="muted">
                No credentials in this entity yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {total > rows.length && (
        <p className="muted">
          Showing the first {rows.length} of {total} credentials.
        </p>
      )}
      {editing && (
        <CredentialForm
          key={editing === 'new' ? 'new' : editing.credential_id}
          entityId={Number(entity)}
          stored={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null);
            setNotice(message);
            list.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </main>
  );
}

function CredentialForm({
  entityId,
  stored,
  onDone,
  onCancel,
}: {
  entityId: number;
  stored: Credential | null;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { api } = useSession();
  const [draft, setDraft] = useState<CredentialDraft>(() => (stored ? draftOf(stored) : emptyDraft()));
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const problems = draftProblems(draft, stored === null);
  const title = stored ? `Edit ${stored.name}` : 'New credential';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (problems.length) return;
    setSaving(true);
    try {
      if (stored) {
        const body = updateBody(stored, draft);
        if (body) await updateCredential(api, stored.credential_id, body);
        onDone(body ? `Saved ${draft.name}.` : 'Nothing changed.');
      } else {
        await createCredential(api, createBody(draft, entityId));
        onDone(`Created ${draft.name}. Use it as {{ $credentials.${draft.name}.${draft.fields[0]?.name} }}.`);
      }
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setSaving(false);
    }
  }

  const change = (next: CredentialDraft) => {
    setDraft(next);
    setError(null);
  };

  return (
    <form className="credential-form panel-box" onSubmit={submit} aria-labelledby="credential-form-title" noValidate>
      <h2 id="credential-form-title">{title}</h2>
      <div className="form-grid">
        <label htmlFor="credential-name">Name</label>
        <input
          id="credential-name"
          value={draft.name}
          maxLength={64}
          placeholder="uptime_api"
          onChange={(event) => change({ ...draft, name: event.target.value })}
        />
        <label htmlFor="credential-type">Type</label>
        <input
          id="credential-type"
          list="credential-types"
          value={draft.type}
          maxLength={64}
          onChange={(event) => change({ ...draft, type: event.target.value })}
        />
        <datalist id="credential-types">
          {CREDENTIAL_TYPES.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <label htmlFor="credential-description">Description</label>
        <input
          id="credential-description"
          value={draft.description}
          maxLength={2000}
          onChange={(event) => change({ ...draft, description: event.target.value })}
        />
      </div>
      <fieldset className="credential-fields">
        <legend>Fields</legend>
        {stored && <p className="muted small">Leave a value blank to keep the stored one.</p>}
        {draft.fields.map((field, index) => (
          <div className="row" key={field.key}>
            <label className="sr-only" htmlFor={`field-name-${field.key}`}>
              Field {index + 1} name
            </label>
            <input
              id={`field-name-${field.key}`}
              value={field.name}
              placeholder="field name"
              maxLength={64}
              onChange={(event) => change(setField(draft, field.key, { name: event.target.value }))}
            />
            <label className="sr-only" htmlFor={`field-value-${field.key}`}>
              Field {index + 1} value
            </label>
            <input
              id={`field-value-${field.key}`}
              type="password"
              autoComplete="new-password"
              value={field.value}
              placeholder={isStored(field) ? 'stored (unchanged)' : 'value'}
              onChange={(event) => change(setField(draft, field.key, { value: event.target.value }))}
            />
            <button
              type="button"
              onClick={() => change(removeField(draft, field.key))}
              aria-label={`Remove field ${field.name || index + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => change(addField(draft))} disabled={draft.fields.length >= MAX_FIELDS}>
          Add field
        </button>
      </fieldset>
      {tried && problems.length > 0 && (
        <ul className="field-error" role="alert" aria-label="What to fix">
          {problems.map((problem, index) => (
            // Two rows can have the same problem (two unnamed fields): the position tells them apart.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is redrawn whole on every change
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
      <ApiErrorNotice error={error} title="Not saved" />
      <div className="row">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Saving…' : stored ? 'Save' : 'Create credential'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
