/**
 * @module editor/publish-result
 * What Publish answered: the new version, or the validation errors that stopped it.
 */
import type { RefObject } from 'react';
import type { ValidationResult } from '../api/types.ts';
import { ModalDialog } from '../shell/modal-dialog.tsx';

export type PublishOutcome =
  | { readonly ok: true; readonly version: number; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly validation?: ValidationResult };

export function PublishResult({
  outcome,
  onClose,
  publishButton,
}: {
  outcome: PublishOutcome;
  onClose: () => void;
  /** Focus goes back there on close: it was disabled while publishing, so it lost focus. */
  publishButton: RefObject<HTMLButtonElement | null>;
}) {
  return (
    <ModalDialog labelledBy="publish-title" onClose={onClose} returnFocus={publishButton}>
      <h2 id="publish-title">{outcome.ok ? `Published version ${outcome.version}` : 'Not published'}</h2>
      {outcome.ok ? (
        <p>Executions, webhooks, events and schedules now run this version.</p>
      ) : (
        <p className="error">{outcome.message}</p>
      )}
      {!outcome.ok && outcome.validation && (
        <ul className="problems">
          {outcome.validation.errors.map((m) => (
            <li key={m}>{m}</li>
          ))}
          {Object.values(outcome.validation.node_validation_errors)
            .flat()
            .map((m) => (
              <li key={m}>{m}</li>
            ))}
        </ul>
      )}
      {outcome.ok && outcome.warnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul className="problems">
            {outcome.warnings.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </>
      )}
      <button type="button" data-autofocus onClick={onClose}>
        Close
      </button>
    </ModalDialog>
  );
}
