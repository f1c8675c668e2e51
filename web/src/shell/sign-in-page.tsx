/**
 * @module shell/sign-in-page
 * Sign in with a token, or see who is signed in (user, entities) and sign out.
 */
import { navigate } from './router.ts';
import { useSession } from './session-context.tsx';
import { SignInForm } from './sign-in-form.tsx';

export function SignInPage() {
  const session = useSession();
  const claims = session.claims;
  return (
    <main className="sign-in-page">
      <h1>Workflow Core</h1>
      {session.token && !session.expired ? (
        <section aria-label="Signed in">
          <p>
            Signed in as <strong>{claims?.username ?? claims?.userId ?? 'an unnamed user'}</strong>
            {claims?.username && <> (user {claims.userId})</>}.
          </p>
          <p>Entities: {claims?.entities.length ? claims.entities.join(', ') : 'none in this token'}</p>
          <div className="row">
            <button type="button" className="primary" onClick={() => navigate('/')}>
              Open workflows
            </button>
            <button type="button" onClick={() => session.signOut()}>
              Sign out
            </button>
          </div>
        </section>
      ) : (
        <section aria-label="Sign in">
          <p>
            Paste a token to sign in. <code>npx workflow-core token --link --user-id 1 --entities 123</code> prints a
            link that signs you in directly.
          </p>
          <SignInForm onSignedIn={() => navigate('/')} />
        </section>
      )}
    </main>
  );
}
