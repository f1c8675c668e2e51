/**
 * @module panels/webhooks-panel
 * A workflow's webhooks: list with trigger count and last trigger, create, enable/disable,
 * rotate secret, delete. The secret is shown once (create, rotate) with a copy button and a
 * ready curl signed in the browser; "send test" calls the real trigger and links to its run.
 */
import { type FormEvent, useEffect, useState } from 'react';
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
import { asApiError, useLoad } from '../runs/use-load.ts';
import { link } from '../shell/app-header.tsx';
import { useSession } from '../shell/session-context.tsx';
import { curlExample, signWebhookBody } from './webhook-curl.ts';

const SAMPLE_BODY = '{"event":"test","data":"value"}';

function SecretOnce({ webhook, onDone }: { webhook: Webhook & { secret: string }; onDone(): void }) {
  const [curl, setCurl] = useState('');
  const [copied, setCopied] = useState<string | null>(null);
  const [sent, setSent] = useState<{ executionId?: string; error?: ApiError } | null>(null);
  useEffect(() => {
    void curlExample({ url: webhook.url, token: webhook.token, body: SAMPLE_BODY, secret: webhook.secret }).then(
      setCurl,
    );
  }, [webhook]);
  async function copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
    } catch {
      setCopied(null);
    }
  }
  async function sendTest() {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (webhook.require_signature) {
      headers['x-webhook-signature'] = await signWebhookBody(webhook.secret, webhook.token, SAMPLE_BODY);
    }
    const response = await fetch(new URL(webhook.url).pathname, { method: 'POST', headers, body: SAMPLE_BODY });
    const answer = (await response.json()) as {
      data?: { execution_id: string };
      error?: { code: string; message: string };
    };
    if (response.ok && answer.data) setSent({ executionId: answer.data.execution_id });
    else
      setSent({
        error: asApiError(Object.assign(new Error(answer.error?.message ?? response.statusText), answer.error)),
      });
  }
  return (
    <section className="secret-once" aria-label="New webhook secret">
      <p>
        <strong>Signing secret of “{webhook.name}”</strong>, shown this once; store it now.
      </p>
      <p className="row">
        <code className="secret" data-testid="webhook-secret">
          {webhook.secret}
        </code>
        <button type="button" onClick={() => copy(webhook.secret, 'secret')}>
          Copy secret
        </button>
        {copied === 'secret' && <span role="status">copied</span>}
      </p>
      <p>Try it (the signature is computed here, in your browser):</p>
      <pre className="curl" data-testid="webhook-curl">
        {curl}
      </pre>
      <p className="row">
        <button type="button" onClick={() => copy(curl, 'curl')} disabled={!curl}>
          Copy curl
        </button>
        {copied === 'curl' && <span role="status">copied</span>}
        <button type="button" onClick={sendTest}>
          Send test
        </button>
        {sent?.executionId && (
          <a {...link(`/executions/${sent.executionId}`)} data-testid="webhook-test-run">
            Open the run it started
          </a>
        )}
        <button type="button" onClick={onDone}>
          Done, hide the secret
        </button>
      </p>
      {sent?.error && <ApiErrorNotice error={sent.error} title="The test call was refused" />}
    </section>
  );
}

export function WebhooksPanel({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const hooks = useLoad(() => listWebhooks(api, workflowId), [workflowId]);
  const [name, setName] = useState('');
  const [requireSignature, setRequireSignature] = useState(true);
  const [fresh, setFresh] = useState<(Webhook & { secret: string }) | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function act(work: () => Promise<Webhook | unknown>) {
    try {
      const result = await work();
      setError(null);
      if (result && typeof result === 'object' && typeof (result as Webhook).secret === 'string') {
        setFresh(result as Webhook & { secret: string });
      }
      hooks.reload();
    } catch (failure) {
      setError(asApiError(failure));
    }
  }

  function create(event: FormEvent) {
    event.preventDefault();
    void act(() => createWebhook(api, workflowId, { name: name.trim(), require_signature: requireSignature }));
    setName('');
  }

  return (
    <section aria-label="Webhooks">
      <h2>Webhooks</h2>
      <ApiErrorNotice error={hooks.error ?? error} title="Webhooks" />
      {fresh && <SecretOnce webhook={fresh} onDone={() => setFresh(null)} />}
      <table className="list">
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
            <tr key={hook.webhook_id}>
              <td>{hook.name}</td>
              <td>
                <code className="url">{hook.url}</code>
              </td>
              <td>{hook.enabled ? 'yes' : 'no'}</td>
              <td>{hook.require_signature ? 'required' : 'not required'}</td>
              <td>{hook.trigger_count}</td>
              <td>{formatTime(hook.last_triggered_at)}</td>
              <td className="row">
                <button
                  type="button"
                  onClick={() => act(() => updateWebhook(api, workflowId, hook.webhook_id, { enabled: !hook.enabled }))}
                >
                  {hook.enabled ? 'Disable' : 'Enable'}
                </button>
                <button type="button" onClick={() => act(() => rotateWebhookSecret(api, workflowId, hook.webhook_id))}>
                  Rotate secret
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() =>
                    window.confirm(`Delete webhook “${hook.name}”? Callers of its URL get 404 from now on.`) &&
                    act(() => deleteWebhook(api, workflowId, hook.webhook_id))
                  }
                >
                  Delete
                </button>
              </td>
            </tr>
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
      <form className="row" onSubmit={create}>
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
    </section>
  );
}
