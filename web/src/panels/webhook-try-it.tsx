/**
 * @module panels/webhook-try-it
 * The curl and "Send test" of a webhook whose secret is no longer on screen: the user pastes the
 * secret they stored, which stays in this page (it signs the example here and goes nowhere).
 */
import { useId, useState } from 'react';
import type { Webhook } from '../api/runs-api.ts';
import { SignedTestCall } from './signed-test-call.tsx';

export function WebhookTryIt({
  webhook,
  onTriggered,
  onClose,
}: {
  webhook: Webhook;
  onTriggered(): void;
  onClose(): void;
}) {
  const [secret, setSecret] = useState('');
  const titleId = useId();
  const close = (
    <button type="button" onClick={onClose}>
      Close
    </button>
  );
  return (
    <section className="secret-once try-it" aria-labelledby={titleId}>
      <h3 id={titleId}>Try “{webhook.name}”</h3>
      {webhook.require_signature ? (
        <p className="row">
          <label>
            Signing secret{' '}
            <input
              type="password"
              autoComplete="off"
              value={secret}
              onChange={(e) => setSecret(e.target.value.trim())}
            />
          </label>
          <span className="muted">The secret you stored when it was shown; it stays in this page.</span>
        </p>
      ) : (
        <p className="muted">This webhook takes calls without a signature.</p>
      )}
      {webhook.require_signature && !secret ? (
        <p className="row">
          <span className="spacer" />
          {close}
        </p>
      ) : (
        <SignedTestCall webhook={webhook} secret={webhook.require_signature ? secret : null} onTriggered={onTriggered}>
          {close}
        </SignedTestCall>
      )}
    </section>
  );
}
