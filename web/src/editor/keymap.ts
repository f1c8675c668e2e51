/**
 * @module editor/keymap
 * Every editor command is a named action bound to keys (as Node-RED's keymap), so the shortcut
 * help lists exactly what the keyboard does. `Mod` is Ctrl, or Cmd on a Mac.
 */

export const ACTIONS = {
  undo: { keys: ['Mod+Z'], label: 'Undo' },
  redo: { keys: ['Mod+Shift+Z', 'Mod+Y'], label: 'Redo' },
  copy: { keys: ['Mod+C'], label: 'Copy the selected nodes (as JSON)' },
  cut: { keys: ['Mod+X'], label: 'Cut the selected nodes' },
  paste: { keys: ['Mod+V'], label: 'Paste nodes (new ids)' },
  delete: { keys: ['Delete', 'Backspace'], label: 'Delete the selection' },
  selectAll: { keys: ['Mod+A'], label: 'Select every node' },
  rename: { keys: ['F2'], label: 'Rename the selected node' },
  tidy: { keys: ['Shift+T'], label: 'Tidy up the layout' },
  fit: { keys: ['Shift+1'], label: 'Fit the workflow in view' },
  test: { keys: ['Mod+Enter'], label: 'Open the test run' },
  save: { keys: ['Mod+S'], label: 'Save now' },
  escape: { keys: ['Escape'], label: 'Clear the selection, close panels' },
  help: { keys: ['?'], label: 'Show these shortcuts' },
} as const;

export type ActionName = keyof typeof ACTIONS;

/** The key chord of an event in the keymap's notation (`Mod+Shift+Z`). */
export function chordOf(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('Mod');
  if (event.altKey) parts.push('Alt');
  const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  // `?` is typed with Shift; the character already says it.
  if (event.shiftKey && key !== '?' && !(event.key.length === 1 && !/[a-z]/i.test(event.key) && key !== '!'))
    parts.push('Shift');
  parts.push(key === '!' ? '1' : key);
  return parts.join('+');
}

export function actionFor(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
): ActionName | null {
  const chord = chordOf(event);
  for (const [name, action] of Object.entries(ACTIONS)) {
    if ((action.keys as readonly string[]).includes(chord)) return name as ActionName;
  }
  return null;
}

/** Keys that belong to a text field while one has focus (typing, its own undo and clipboard). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function displayKeys(keys: readonly string[], mac: boolean): string {
  return keys.map((k) => k.replace('Mod', mac ? '⌘' : 'Ctrl')).join(' or ');
}
