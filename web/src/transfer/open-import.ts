/**
 * @module transfer/open-import
 * Imports a portable document as a draft of an entity and opens it in the editor, which then says
 * what the import left to do (transfer/import-notice). The Import dialog and the templates gallery
 * both create workflows this way.
 */
import type { ApiClient } from '../api/client.ts';
import { importWorkflow, type PortableWorkflow } from '../api/reuse-api.ts';
import { navigate } from '../shell/router.ts';
import { noticeOf, rememberImport } from './import-notice.ts';

export async function importAndOpen(
  api: ApiClient,
  entityId: number,
  workflow: PortableWorkflow,
  name?: string,
): Promise<void> {
  const answer = await importWorkflow(api, { entity_id: entityId, workflow, ...(name ? { name } : {}) });
  rememberImport(answer.workflow_id, noticeOf(answer, workflow));
  navigate(`/workflows/${answer.workflow_id}`);
}
