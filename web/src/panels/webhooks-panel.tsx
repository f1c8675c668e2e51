/**
 * @module panels/webhooks-panel
 * A workflow's webhooks: list with trigger count and last trigger, create, enable/disable,
 * rotate secret, delete (asked in the app's dialog). The secret is shown once (create, rotate)
 * with a copy button, a ready curl signed in the browser and "send test" (webhook-secret-once);
 * later, "Try it" builds the same from a secret the user pastes (webhook-try-it).
 */
import './panels.css';
import { type FormEvent, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  type Webhook,
} from '../api/runs-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { formatTime } from '../runs/status-badge.tsx';
import { asApiError, useLoad, useRefresh } from '../runs/use-load.ts';
import { useSession } from '../shell/session-context.tsx';
import { DeleteWebhookDialog } from './delete-webhook-dialog.tsx';
import { copyText } from './signed-test-call.tsx';
import { type FreshWebhook, WebhookSecretOnce } from './webhook-secret-once.tsx';
import { WebhookTryIt } from './webhook-try-it.tsx';

const REFRESH_MS = 5000;

function WebhookRow({
  hook,
  onToggle,
  onRotate,
  onTry,
  onDelete,
}: {
  hook: Webhook;
  onToggle(): void;
  onRotate(): void;
  onTry(): void;
  onDelete(): void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <tr data-webhook={hook.webhook_id}>
      <td>{hook.name}</td>
      <td>
        <code className="url">{hook.url}</code>{' '}
        <button
          type="button"
          className="link-button"
          aria-label={`Copy URL of ${hook.name}`}
          onClick={async () => setCopied(await copyText(hook.url))}
        >
          Copy URL
        </button>
        {copied && <span role="status"> copied</span>}
      </td>
      <td>{hook.enabled ? 'yes' : 'no'}</td>
      <td>{hook.require_signature ? 'required' : 'not required'}</td>
      <td data-testid="webhook-trigger-count">{hook.trigger_count}</td>
      <td data-testid="webhook-last-triggered">{formatTime(hook.last_triggered_at)}</td>
      <td className="row-actions">
        <button type="button" onClick={onToggle}>
          {hook.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" onClick={onTry}>
          Try it
        </button>
        <button type="button" onClick={onRotate}>
          Rotate secret
        </button>
        <button type="button" className="danger" onClick={onDelete}>
          Delete
        </button>
      </td>
    </tr>
  );
}

function CreateWebhookForm({ onCreate }: { onCreate(input: { name: string; require_signature: boolean }): void }) {
  const [name, setName] = useState('');
  const [requireSignature, setRequireSignature] = useState(true);
  function submit(event: FormEvent) {
    event.preventDefault();
    onCreate({ name: name.trim(), require_signature: requireSignature });
    setName('');
  }
  return (
    <form className="create-webhook row" onSubmit={submit}>
      <label>
        New webhook name <input value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        <input type="checkbox" checked={requireSignature} onChange={(e) => setRequireSignature(e.target.checked)} />{' '}
        Require signature
      </label>
      <button type="submit" className="primary" disabled={!name.trim()}>
        Create webhook
      </button>
    </form>
  );
}

export function WebhooksPanel({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const hooks = useLoad(() => listWebhooks(api, workflowId), [workflowId]);
  // Calls from outside change the counts and the last trigger.
  useRefresh(hooks.reload, REFRESH_MS);
  const [fresh, setFresh] = useState<FreshWebhook | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [trying, setTrying] = useState<Webhook | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  /** A change, its refusal shown; `then` takes its answer (create and rotate show the new secret). */
  async function act<T>(work: () => Promise<T>, then?: (answer: T) => void) {
    try {
      const answer = await work();
      setError(null);
      then?.(answer);
    } catch (failure) {
      setError(asApiError(failure));
    }
    hooks.reload();
  }

  function answerDelete(yes: boolean) {
    const hook = deleting;
    setDeleting(null);
    if (!yes || !hook) return;
    if (fresh?.webhook_id === hook.webhook_id) setFresh(null);
    if (trying?.webhook_id === hook.webhook_id) setTrying(null);
    void act(() => deleteWebhook(api, workflowId, hook.webhook_id));
  }

  return (
    <section aria-label="Webhooks">
      <h2>Webhooks</h2>
      <ApiErrorNotice error={hooks.error} title="The webhooks could not be loaded" />
      <ApiErrorNotice error={error} title="The change was refused" />
      {fresh && (
        <WebhookSecretOnce
          // A new secret (rotated again) starts with a fresh curl and no earlier test result.
          key={fresh.secret}
          webhook={fresh}
          onTriggered={hooks.reload}
          onDone={() => setFresh(null)}
        />
      )}
      {trying && (
        <WebhookTryIt
          key={trying.webhook_id}
          webhook={trying}
          onTriggered={hooks.reload}
          onClose={() => setTrying(null)}
        />
      )}
      <table className="list webhooks">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">URL</th>
            <th scope="col">Enabled</th>
            <th scope="col">Signature</th>
            <th scope="col">Triggered</th>
            <th scope="col">Last triggered</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(hooks.data ?? []).map((hook) => (
            <WebhookRow
              key={hook.webhook_id}
              hook={hook}
              onToggle={() => act(() => updateWebhook(api, workflowId, hook.webhook_id, { enabled: !hook.enabled }))}
              onRotate={() => act(() => rotateWebhookSecret(api, workflowId, hook.webhook_id), setFresh)}
              onTry={() => setTrying(hook)}
              onDelete={() => setDeleting(hook)}
            />
          ))}
          {hooks.data?.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No webhooks yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <CreateWebhookForm onCreate={(input) => act(() => createWebhook(api, workflowId, input), setFresh)} />
      {deleting && <DeleteWebhookDialog hook={deleting} onAnswer={answerDelete} />}
    </section>
  );
}
