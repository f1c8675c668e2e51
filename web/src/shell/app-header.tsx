/**
 * @module shell/app-header
 * The top bar: the app's name (home), the main pages, who is signed in, sign out.
 */
import type { MouseEvent } from 'react';
import { matchRoute, navigate, usePath } from './router.ts';
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

const PAGES = [
  { to: '/', label: 'Workflows' },
  { to: '/templates', label: 'Templates' },
  { to: '/credentials', label: 'Credentials' },
] as const;

export function AppHeader() {
  const session = useSession();
  const path = usePath();
  const claims = session.claims;
  return (
    <header className="app-header">
      <a className="brand" {...link('/')}>
        Workflow Core
      </a>
      <nav aria-label="Main">
        {PAGES.map((page) => (
          <a key={page.to} {...link(page.to)} aria-current={matchRoute(page.to, path) ? 'page' : undefined}>
            {page.label}
          </a>
        ))}
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
