/**
 * @module transfer/templates-page
 * The templates gallery (/templates): the shipped templates with their triggers and the
 * credentials they need (marked when the chosen entity has them); "Use template" creates a draft
 * in that entity (an import) and opens it in the editor.
 */
import { useState } from 'react';
import '../reuse.css';
import type { ApiError } from '../api/client.ts';
import { listCredentials, listTemplates, type Template } from '../api/reuse-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { asApiError, useLoad } from '../runs/use-load.ts';
import { link } from '../shell/app-header.tsx';
import { EntityPicker, isEntityId, useEntityChoice } from '../shell/entity-picker.tsx';
import { useSession } from '../shell/session-context.tsx';
import { importAndOpen } from './open-import.ts';

export default function TemplatesPage() {
  const { api } = useSession();
  const [entity, setEntity] = useEntityChoice();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const templates = useLoad(() => listTemplates(api), [api]);
  const credentials = useLoad(
    async () =>
      isEntityId(entity)
        ? new Set((await listCredentials(api, Number(entity))).data.map((c) => c.name))
        : new Set<string>(),
    [api, entity],
  );

  async function use(template: Template) {
    setBusy(template.template_id);
    try {
      await importAndOpen(api, Number(entity), template.workflow);
    } catch (failure) {
      setError(asApiError(failure));
      setBusy(null);
    }
  }

  return (
    <main className="page templates-page">
      <div className="page-title">
        <h1>Create from a template</h1>
      </div>
      <p className="muted">
        Each template becomes a new draft in the chosen entity, ready to adjust, test and publish.
      </p>
      <div className="filters row">
        <EntityPicker value={entity} onChange={setEntity} />
        {templates.loading && <span aria-live="polite">Loading…</span>}
      </div>
      <ApiErrorNotice error={templates.error} title="The templates could not be loaded" />
      <ApiErrorNotice error={credentials.error} title="The entity's credentials could not be checked" />
      <ApiErrorNotice error={error} title="Not created" />
      <ul className="template-grid" aria-label="Templates">
        {(templates.data ?? []).map((template) => (
          <li key={template.template_id} className="template-card">
            <h2>{template.name}</h2>
            <p>{template.description}</p>
            <p className="muted small">
              Starts on {template.trigger_types.map((type) => type.replace(/^trigger_/, '')).join(', ') || 'demand'} ·{' '}
              {Object.keys(template.workflow.nodes).length} nodes
            </p>
            <CredentialNeeds needed={template.workflow.credentials ?? []} have={credentials.data} />
            <button
              type="button"
              className="primary"
              onClick={() => void use(template)}
              disabled={busy !== null || !isEntityId(entity)}
              aria-label={`Use template ${template.name}`}
            >
              {busy === template.template_id ? 'Creating…' : 'Use template'}
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}

function CredentialNeeds({ needed, have }: { needed: readonly string[]; have: ReadonlySet<string> | undefined }) {
  if (!needed.length) return <p className="small">Needs no credentials.</p>;
  return (
    <div className="small">
      Needs the credential{needed.length > 1 ? 's' : ''}:{' '}
      {needed.map((name) => {
        const present = have?.has(name);
        return (
          <span key={name} className={`cred-need ${present ? 'cred-ok' : 'cred-missing'}`}>
            <code>{name}</code> {present ? '(in this entity)' : '(missing: '}
            {!present && <a {...link('/credentials')}>create it</a>}
            {!present && ')'}
          </span>
        );
      })}
    </div>
  );
}
