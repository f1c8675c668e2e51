/**
 * @module shell/app-header
 * The top bar: the app's name (home), who is signed in, sign out.
 */
import type { MouseEvent } from 'react';
import { navigate } from './router.ts';
import { useSession } from './session-context.tsx';

export function link(to: string) {
  return {
    href: to,
    onClick(event: MouseEvent) {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(to);
    },
  };
}

export function AppHeader() {
  const session = useSession();
  const claims = session.claims;
  return (
    <header className="app-header">
      <a className="brand" {...link('/')}>
        Workflow Core
      </a>
      <nav aria-label="Main">
        <a {...link('/')}>Workflows</a>
      </nav>
      <span className="spacer" />
      <a className="who" {...link('/sign-in')} title="Account">
        {claims?.username ?? `user ${claims?.userId ?? '?'}`}
      </a>
      <button type="button" onClick={() => session.signOut()}>
        Sign out
      </button>
    </header>
  );
}
