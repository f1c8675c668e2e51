/**
 * @module app
 * The shell: session, header, and the page for the current path. Pages other than sign-in and
 * the list load on first visit. Without a token every page shows sign-in; with an expired one the
 * page stays mounted under the sign-in dialog.
 */
import { lazy, type ReactNode, Suspense } from 'react';
import { WorkflowListPage } from './editor/workflow-list-page.tsx';
import { AppHeader } from './shell/app-header.tsx';
import { matchRoute, usePath } from './shell/router.ts';
import { SessionProvider, useSession } from './shell/session-context.tsx';
import { SessionExpiredDialog } from './shell/session-expired-dialog.tsx';
import { SignInPage } from './shell/sign-in-page.tsx';

const EditorPage = lazy(() => import('./editor/editor-page.tsx'));
const ExecutionPage = lazy(() => import('./runs/execution-page.tsx'));
const WorkflowOperationsPage = lazy(() => import('./runs/workflow-operations-page.tsx'));
const CredentialsPage = lazy(() => import('./credentials/credentials-page.tsx'));
const TemplatesPage = lazy(() => import('./transfer/templates-page.tsx'));

interface Route {
  readonly pattern: string;
  readonly render: (params: Record<string, string>) => ReactNode;
}

/** Every page of the app; the server answers index.html for each of these paths. */
export const ROUTES: readonly Route[] = [
  { pattern: '/', render: () => <WorkflowListPage /> },
  { pattern: '/workflows/:id', render: ({ id }) => <EditorPage key={id} workflowId={id} /> },
  {
    pattern: '/workflows/:id/operations',
    render: ({ id }) => <WorkflowOperationsPage key={id} workflowId={id} />,
  },
  { pattern: '/executions/:id', render: ({ id }) => <ExecutionPage key={id} executionId={id} /> },
  { pattern: '/credentials', render: () => <CredentialsPage /> },
  { pattern: '/templates', render: () => <TemplatesPage /> },
];

function CurrentPage() {
  const path = usePath();
  const session = useSession();
  if (!session.token || matchRoute('/sign-in', path)) return <SignInPage />;
  for (const route of ROUTES) {
    const params = matchRoute(route.pattern, path);
    if (params) {
      return (
        <>
          <AppHeader />
          <Suspense fallback={<p className="loading">Loading…</p>}>{route.render(params)}</Suspense>
          {session.expired && <SessionExpiredDialog />}
        </>
      );
    }
  }
  return (
    <>
      <AppHeader />
      <main className="page">
        <h1>Not found</h1>
        <p>
          Nothing lives at <code>{path}</code>. <a href="/">Back to the workflows</a>
        </p>
      </main>
    </>
  );
}

export function App() {
  return (
    <SessionProvider>
      <CurrentPage />
    </SessionProvider>
  );
}
