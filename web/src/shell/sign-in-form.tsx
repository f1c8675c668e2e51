/**
 * @module shell/sign-in-form
 * The "Token" field and "Sign in" button, used by the sign-in page and the expired-session dialog.
 */
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useSession } from './session-context.tsx';

export function SignInForm({ onSignedIn }: { onSignedIn?: () => void }) {
  const session = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(token);
      setToken('');
      onSignedIn?.();
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? `The server refused this token: ${failure.message}`
          : (failure as Error).message,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="sign-in-form" onSubmit={submit}>
      <label htmlFor="token-field">Token</label>
      <textarea
        id="token-field"
        value={token}
        onChange={(event) => setToken(event.target.value)}
        rows={4}
        spellCheck={false}
        autoComplete="off"
        placeholder="Paste the output of: npx workflow-core token --user-id 1 --entities 123"
        required
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || !token.trim()}>
        Sign in
      </button>
    </form>
  );
}
