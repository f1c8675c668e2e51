/**
 * @module shell/pending-question
 * A yes/no question put to the user in the app's own dialog instead of window.confirm: ask()
 * answers once the dialog does, and what is being asked about is reported so the page can show
 * the dialog. One question at a time: a new one answers the one before no (nothing is left
 * waiting on a dialog that is gone).
 */

export interface PendingQuestion<T> {
  ask(subject: T): Promise<boolean>;
  /** Ends the question being asked, if any; a second answer to the same question is ignored. */
  answer(yes: boolean): void;
}

export function createPendingQuestion<T>(onAsking: (subject: T | null) => void): PendingQuestion<T> {
  let pending: ((yes: boolean) => void) | null = null;
  const settle = (yes: boolean) => {
    const resolve = pending;
    pending = null;
    resolve?.(yes);
  };
  return {
    ask(subject) {
      settle(false);
      return new Promise<boolean>((resolve) => {
        pending = resolve;
        onAsking(subject);
      });
    },
    answer(yes) {
      if (!pending) return;
      onAsking(null);
      settle(yes);
    },
  };
}
