/**
 * @module shell/session-expired-dialog
 * Shown over the current page when the server answered 401: sign in again and carry on (Escape
 * does not close it: the page behind cannot work without a token).
 */
import { ModalDialog } from './modal-dialog.tsx';
import { SignInForm } from './sign-in-form.tsx';

export function SessionExpiredDialog() {
  return (
    <ModalDialog labelledBy="expired-title">
      <h2 id="expired-title">Session expired</h2>
      <p>The server no longer accepts your token. Sign in again; your unsaved edits are kept.</p>
      <SignInForm />
    </ModalDialog>
  );
}
