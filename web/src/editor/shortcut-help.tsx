/**
 * @module editor/shortcut-help
 * The `?` dialog: every named action of the keymap with its keys.
 */
import { ModalDialog } from '../shell/modal-dialog.tsx';
import { ACTIONS, displayKeys } from './keymap.ts';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  return (
    <ModalDialog labelledBy="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {Object.entries(ACTIONS).map(([name, action]) => (
            <tr key={name}>
              <td>
                <kbd>{displayKeys(action.keys, mac)}</kbd>
              </td>
              <td>{action.label}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>Tab</kbd>
            </td>
            <td>Move focus; the node panel's "Connect to…" wires nodes without a mouse</td>
          </tr>
        </tbody>
      </table>
      <button type="button" data-autofocus onClick={onClose}>
        Close
      </button>
    </ModalDialog>
  );
}
