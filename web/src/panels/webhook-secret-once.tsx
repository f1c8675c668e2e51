/**
 * @module panels/webhook-secret-once
 * The signing secret of a webhook just created or rotated, shown this once with a copy button, a
 * ready curl signed in the browser, and "Send test": the real trigger, a link to the run it
 * started, or the API's code and message when it is refused or the server cannot be reached.
 */
import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import type { Webhook } from '../api/runs-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { asApiError } from '../runs/use-load.ts';
import { link } from '../shell/app-header.tsx';
import { curlExample } from './webhook-curl.ts';
import { SAMPLE_BODY, sendWebhookTest } from './webhook-test-call.ts';

export type FreshWebhook = Webhook & { readonly secret: string };

type Sent = { readonly executionId: string } | { readonly error: ApiError };

export function WebhookSecretOnce({
  webhook,
  onTriggered,
  onDone,
}: {
  webhook: FreshWebhook;
  /** A test call went through: the list's trigger count and last trigger changed. */
  onTriggered(): void;
  onDone(): void;
}) {
  const [curl, setCurl] = useState('');
  const [copied, setCopied] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);
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
    setSending(true);
    setSent(null);
    try {
      const answer = await sendWebhookTest(webhook, webhook.secret);
      setSent({ executionId: answer.execution_id });
      onTriggered();
    } catch (failure) {
      setSent({ error: asApiError(failure) });
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="secret-once" aria-labelledby="secret-once-title">
      <h3 id="secret-once-title">Signing secret of “{webhook.name}”</h3>
      <p>Shown this once: store it now. Rotating the secret issues a new one and the old one stops working.</p>
      <p className="row">
        <code className="secret" data-testid="webhook-secret">
          {webhook.secret}
        </code>
        <button type="button" onClick={() => copy(webhook.secret, 'secret')}>
          Copy secret
        </button>
        {copied === 'secret' && <span role="status">Secret copied</span>}
      </p>
      <p>Try it (the signature is computed here, in your browser):</p>
      <pre className="curl" data-testid="webhook-curl">
        {curl}
      </pre>
      <p className="row">
        <button type="button" onClick={() => copy(curl, 'curl')} disabled={!curl}>
          Copy curl
        </button>
        {copied === 'curl' && <span role="status">curl copied</span>}
        <button type="button" onClick={sendTest} disabled={sending}>
          Send test
        </button>
        {sent && 'executionId' in sent && (
          <span role="status">
            Test sent:{' '}
            <a {...link(`/executions/${sent.executionId}`)} data-testid="webhook-test-run">
              open the run it started
            </a>
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={onDone}>
          Done, hide the secret
        </button>
      </p>
      {sent && 'error' in sent && <ApiErrorNotice error={sent.error} title="The test call failed" />}
    </section>
  );
}
