import { describe, expect, it } from 'vitest';
import { wrapFocus } from './modal-dialog.tsx';

describe('Tab inside a dialog', () => {
  it('goes round from the last control to the first, and back with Shift', () => {
    expect(wrapFocus(4, 3, false)).toBe(0);
    expect(wrapFocus(4, 0, true)).toBe(3);
  });

  it('leaves the steps between the ends to the browser', () => {
    expect(wrapFocus(4, 0, false)).toBeNull();
    expect(wrapFocus(4, 2, false)).toBeNull();
    expect(wrapFocus(4, 3, true)).toBeNull();
  });

  it('brings focus that is on no control (the dialog itself) to the first, or with Shift the last', () => {
    expect(wrapFocus(4, -1, false)).toBe(0);
    expect(wrapFocus(4, -1, true)).toBe(3);
  });

  it('with one control keeps it, and with none lets the browser be', () => {
    expect(wrapFocus(1, 0, false)).toBe(0);
    expect(wrapFocus(1, 0, true)).toBe(0);
    expect(wrapFocus(0, -1, false)).toBeNull();
  });
});
