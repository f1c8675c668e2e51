/**
 * @module panels/webhook-secret-once
 * The signing secret of a webhook just created or rotated, shown this once with a copy button,
 * then the ready curl and "Send test" signed with it (signed-test-call).
 */
import { useState } from 'react';
import type { WebhookWithSecret } from '../api/runs-api.ts';
import { copyText, SignedTestCall } from './signed-test-call.tsx';

/** The create and rotate answers: the webhook with its signing secret. */
export type FreshWebhook = WebhookWithSecret;

export function WebhookSecretOnce({
  webhook,
  onTriggered,
  onDone,
}: {
  webhook: FreshWebhook;
  onTriggered(): void;
  onDone(): void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="secret-once" aria-labelledby="secret-once-title">
      <h3 id="secret-once-title">Signing secret of “{webhook.name}”</h3>
      <p>Shown this once: store it now. Rotating the secret issues a new one and the old one stops working.</p>
      <p className="row">
        <code className="secret" data-testid="webhook-secret">
          {webhook.secret}
        </code>
        <button type="button" onClick={async () => setCopied(await copyText(webhook.secret))}>
          Copy secret
        </button>
        {copied && <span role="status">Secret copied</span>}
      </p>
      <SignedTestCall webhook={webhook} secret={webhook.secret} onTriggered={onTriggered}>
        <button type="button" onClick={onDone}>
          Done, hide the secret
        </button>
      </SignedTestCall>
    </section>
  );
}
