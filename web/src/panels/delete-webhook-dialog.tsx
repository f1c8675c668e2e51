/**
 * @module panels/delete-webhook-dialog
 * The question before a webhook is deleted, in the app's modal dialog: which webhook, what its
 * callers get from then on, Cancel (focused first, and what Escape does) and "Delete webhook".
 */
import type { Webhook } from '../api/runs-api.ts';
import { ModalDialog } from '../shell/modal-dialog.tsx';

export function DeleteWebhookDialog({ hook, onAnswer }: { hook: Webhook; onAnswer: (yes: boolean) => void }) {
  return (
    <ModalDialog
      labelledBy="delete-webhook-title"
      describedBy="delete-webhook-question"
      alert
      onClose={() => onAnswer(false)}
    >
      <h2 id="delete-webhook-title">Delete this webhook?</h2>
      <p id="delete-webhook-question">
        Delete webhook “{hook.name}” ({hook.trigger_count} {hook.trigger_count === 1 ? 'trigger' : 'triggers'})? Callers
        of its URL get 404 WEBHOOK_NOT_FOUND from now on. This cannot be undone.
      </p>
      <div className="row dialog-actions">
        <button type="button" data-autofocus onClick={() => onAnswer(false)}>
          Cancel
        </button>
        <button type="button" className="destructive" onClick={() => onAnswer(true)}>
          Delete webhook
        </button>
      </div>
    </ModalDialog>
  );
}
