/**
 * @module shell/session-expired-dialog
 * Shown over the current page when the server answered 401: sign in again and carry on.
 */
import { SignInForm } from './sign-in-form.tsx';

export function SessionExpiredDialog() {
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="expired-title">
        <h2 id="expired-title">Session expired</h2>
        <p>The server no longer accepts your token. Sign in again; your unsaved edits are kept.</p>
        <SignInForm />
      </div>
    </div>
  );
}
