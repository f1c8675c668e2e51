/**
 * @module editor/publish-result
 * What Publish answered: the new version, or the validation errors that stopped it.
 */
import { useEffect, useRef } from 'react';
import type { ValidationResult } from '../api/types.ts';

export type PublishOutcome =
  | { readonly ok: true; readonly version: number; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly validation?: ValidationResult };

export function PublishResult({ outcome, onClose }: { outcome: PublishOutcome; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="publish-title">
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
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
