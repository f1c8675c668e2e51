/**
 * @module editor/editor-page
 * The editor for one workflow (deep link /workflows/:id).
 */
import { useEffect, useState } from 'react';
import type { WorkflowView } from '../api/types.ts';
import { getWorkflow } from '../api/workflows-api.ts';
import { useSession } from '../shell/session-context.tsx';

export default function EditorPage({ workflowId }: { workflowId: string }) {
  const { api } = useSession();
  const [workflow, setWorkflow] = useState<WorkflowView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getWorkflow(api, workflowId).then(setWorkflow, (failure: Error) => setError(failure.message));
  }, [api, workflowId]);
  return (
    <main className="page">
      <h1>{workflow?.name ?? 'Workflow'}</h1>
      {error && <p role="alert">{error}</p>}
    </main>
  );
}
