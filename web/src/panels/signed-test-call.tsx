/**
 * @module panels/signed-test-call
 * A ready curl for a webhook, signed in the browser with the secret the page holds, with "Copy
 * curl" and "Send test": the real trigger, a link to the run it started, or the API's code and
 * message when it is refused or the server cannot be reached. Used right after create or rotate
 * (webhook-secret-once) and later with a secret the user pastes (webhook-try-it).
 */
import { type ReactNode, useEffect, useState } from 'react';
import type { ApiError } from '../api/client.ts';
import type { Webhook } from '../api/runs-api.ts';
import { ApiErrorNotice } from '../runs/api-error.tsx';
import { asApiError } from '../runs/use-load.ts';
import { link } from '../shell/app-header.tsx';
import { curlExample } from './webhook-curl.ts';
import { SAMPLE_BODY, sendWebhookTest } from './webhook-test-call.ts';

type Sent = { readonly executionId: string } | { readonly error: ApiError };

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function SignedTestCall({
  webhook,
  secret,
  onTriggered,
  children,
}: {
  webhook: Webhook;
  /** Null when the webhook requires no signature: the curl then carries none. */
  secret: string | null;
  /** A test call went through: the list's trigger count and last trigger changed. */
  onTriggered(): void;
  /** More buttons on the same row (Done, Close). */
  children?: ReactNode;
}) {
  const [curl, setCurl] = useState('');
  const [copied, setCopied] = useState(false);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);
  useEffect(() => {
    let current = true;
    setCurl('');
    setCopied(false);
    setSent(null);
    // Typing a secret signs once per keystroke: only the latest signature may show.
    void curlExample({ url: webhook.url, token: webhook.token, body: SAMPLE_BODY, secret }).then((text) => {
      if (current) setCurl(text);
    });
    return () => {
      current = false;
    };
  }, [webhook.url, webhook.token, secret]);

  async function sendTest() {
    setSending(true);
    setSent(null);
    try {
      const answer = await sendWebhookTest(webhook, secret ?? '');
      setSent({ executionId: answer.execution_id });
      onTriggered();
    } catch (failure) {
      setSent({ error: asApiError(failure) });
    } finally {
      setSending(false);
    }
  }

  return (
    <>
      <p>Try it (the signature is computed here, in your browser):</p>
      <pre className="curl" data-testid="webhook-curl">
        {curl}
      </pre>
      <p className="row">
        <button type="button" onClick={async () => setCopied(await copyText(curl))} disabled={!curl}>
          Copy curl
        </button>
        {copied && <span role="status">curl copied</span>}
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
        {children}
      </p>
      {sent && 'error' in sent && <ApiErrorNotice error={sent.error} title="The test call failed" />}
    </>
  );
}
