/**
 * @module editor/conflict-dialog
 * Shown when a save met VERSION_CONFLICT (another tab or person saved first): reload theirs
 * (dropping these edits) or overwrite with these. Nothing is lost silently either way, so Escape
 * does not close it.
 */
import { ModalDialog } from '../shell/modal-dialog.tsx';

export function ConflictDialog({
  serverVersion,
  onReload,
  onOverwrite,
}: {
  serverVersion: number | null;
  onReload: () => void;
  onOverwrite: () => void;
}) {
  return (
    <ModalDialog labelledBy="conflict-title" alert>
      <h2 id="conflict-title">Changed elsewhere</h2>
      <p>
        Someone (or another tab) saved this workflow meanwhile
        {serverVersion ? ` — it is now at version ${serverVersion}` : ''}. Your edits here are not saved yet.
      </p>
      <div className="row">
        <button type="button" onClick={onReload}>
          Reload their version
        </button>
        <button type="button" className="primary" onClick={onOverwrite}>
          Overwrite with mine
        </button>
      </div>
    </ModalDialog>
  );
}
