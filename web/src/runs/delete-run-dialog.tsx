/**
 * @module runs/delete-run-dialog
 * The question before a run is deleted, in the app's modal dialog (runs list and run page alike):
 * the run and its status, what goes with it, Cancel (focused first, and what Escape does) and the
 * destructive "Delete run".
 */
import { ModalDialog } from '../shell/modal-dialog.tsx';
import { deleteQuestion, type RunRef } from './run-actions.ts';

export function DeleteRunDialog({ run, onAnswer }: { run: RunRef; onAnswer: (yes: boolean) => void }) {
  return (
    <ModalDialog labelledBy="delete-run-title" describedBy="delete-run-question" alert onClose={() => onAnswer(false)}>
      <h2 id="delete-run-title">Delete this run?</h2>
      <p id="delete-run-question">{deleteQuestion(run)}</p>
      <div className="row dialog-actions">
        <button type="button" data-autofocus onClick={() => onAnswer(false)}>
          Cancel
        </button>
        <button type="button" className="destructive" onClick={() => onAnswer(true)}>
          Delete run
        </button>
      </div>
    </ModalDialog>
  );
}
