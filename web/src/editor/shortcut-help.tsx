/**
 * @module editor/shortcut-help
 * The `?` dialog: every named action of the keymap with its keys.
 */
import { useEffect, useRef } from 'react';
import { ACTIONS, displayKeys } from './keymap.ts';

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
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
        <button type="button" ref={close} onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
