import { describe, expect, it } from 'vitest';
import { actionFor } from './keymap.ts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('keymap', () => {
  it('maps keys to named actions, Ctrl and Cmd alike', () => {
    expect(actionFor(key('z', { ctrlKey: true }))).toBe('undo');
    expect(actionFor(key('z', { metaKey: true }))).toBe('undo');
    expect(actionFor(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(actionFor(key('y', { ctrlKey: true }))).toBe('redo');
    expect(actionFor(key('c', { ctrlKey: true }))).toBe('copy');
    expect(actionFor(key('a', { metaKey: true }))).toBe('selectAll');
    expect(actionFor(key('Delete'))).toBe('delete');
    expect(actionFor(key('F2'))).toBe('rename');
    expect(actionFor(key('?', { shiftKey: true }))).toBe('help');
    expect(actionFor(key('T', { shiftKey: true }))).toBe('tidy');
    expect(actionFor(key('!', { shiftKey: true }))).toBe('fit');
    expect(actionFor(key('Enter', { ctrlKey: true }))).toBe('test');
  });
  it('leaves other keys alone', () => {
    expect(actionFor(key('z'))).toBeNull();
    expect(actionFor(key('q', { ctrlKey: true }))).toBeNull();
  });
});
