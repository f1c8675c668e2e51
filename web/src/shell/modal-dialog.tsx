/**
 * @module shell/modal-dialog
 * Every dialog of the app: a native <dialog> opened with showModal(), so the page behind is inert
 * (no click, no focus, hidden from assistive technology). Tab and Shift+Tab cycle through the
 * dialog's own controls: the browser alone would step out of the last one into its own toolbar
 * (or the bare document when it has none). Escape closes a dialog that may be dismissed (onClose
 * given) and is refused by one that asks for a decision; on close, focus goes back to what had it
 * before (the button that opened it).
 */
import { type KeyboardEvent, type ReactNode, type RefObject, useEffect, useRef } from 'react';

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Whether a dialog is open over the page (the editor's shortcuts then stand aside). */
export const dialogOpen = () => document.querySelector('dialog.modal[open]') !== null;

/**
 * Where Tab goes among a dialog's `count` controls from the one at `current` (-1: none of them,
 * e.g. the dialog itself): the control to focus at the ends, or null to let the browser step.
 */
export function wrapFocus(count: number, current: number, backwards: boolean): number | null {
  if (count === 0) return null;
  if (current === -1) return backwards ? count - 1 : 0;
  if (!backwards && current === count - 1) return 0;
  if (backwards && current === 0) return count - 1;
  return null;
}

function keepFocusInside(event: KeyboardEvent<HTMLDialogElement>) {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (element) => element.tabIndex >= 0 && element.getClientRects().length > 0,
  );
  const next = wrapFocus(controls.length, controls.indexOf(document.activeElement as HTMLElement), event.shiftKey);
  if (next === null) return;
  event.preventDefault();
  controls[next].focus();
}

export function ModalDialog({
  labelledBy,
  describedBy,
  onClose,
  alert = false,
  returnFocus,
  className,
  children,
}: {
  /** The id of the dialog's heading. */
  labelledBy: string;
  /** The id of the text a screen reader reads after the name (the question a decision asks). */
  describedBy?: string;
  /** Escape calls it; without it the dialog stays until one of its own buttons ends it. */
  onClose?: () => void;
  /** A decision the user must take (role alertdialog). */
  alert?: boolean;
  /** Where focus goes on close when the opener cannot take it (it was disabled while the dialog was prepared). */
  returnFocus?: RefObject<HTMLElement | null>;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  const shown = useRef(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    shown.current = true;
    // showModal focuses the first focusable element; a dialog may name a better one.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      shown.current = false;
      dialog.close();
      const back = returnFocus?.current ?? opener;
      if (back?.isConnected) back.focus();
    };
  }, [returnFocus]);

  return (
    <dialog
      ref={ref}
      className={className ? `modal ${className}` : 'modal'}
      role={alert ? 'alertdialog' : undefined}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onKeyDown={keepFocusInside}
      onCancel={(event) => {
        event.preventDefault();
        close.current?.();
      }}
      onClose={() => {
        // The browser may close a dialog despite the refused cancel (a second Escape without a
        // click between): one that waits for a decision opens again.
        const dialog = ref.current;
        if (!shown.current || !dialog || dialog.open) return;
        if (close.current) close.current();
        else dialog.showModal();
      }}
    >
      {children}
    </dialog>
  );
}
