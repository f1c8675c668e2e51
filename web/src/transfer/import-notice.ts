/**
 * @module transfer/import-notice
 * What an import (or a template) left to do, carried from the page that imported to the editor
 * that opens the new draft: the credentials and called workflows the entity lacks. Kept for the
 * tab only; the editor shows it once.
 */
import type { ImportAnswer, PortableWorkflow } from '../api/reuse-api.ts';
import { maskedNodes, maskedSentence } from '../editor/clipboard.ts';

export interface ImportNotice {
  readonly name: string;
  /** Every credential the document uses, and which of them the entity lacks. */
  readonly credentials: readonly string[];
  readonly missingCredentials: readonly string[];
  readonly missingWorkflows: readonly string[];
  /** Nodes holding a secret the export masked. */
  readonly masked: readonly string[];
}

const keyOf = (workflowId: string) => `workflow-core.imported.${workflowId}`;

export function noticeOf(
  answer: ImportAnswer,
  document: Pick<PortableWorkflow, 'nodes' | 'credentials'>,
): ImportNotice {
  return {
    name: answer.name,
    credentials: [...(document.credentials ?? [])],
    masked: maskedNodes(document.nodes),
    missingCredentials: [...answer.missing_credentials],
    missingWorkflows: [...answer.missing_workflows],
  };
}

/** The notice as sentences: what is ready, what to create, what to pick. */
export function noticeLines(notice: ImportNotice): string[] {
  const lines: string[] = [];
  if (notice.missingCredentials.length)
    lines.push(
      `Create the credentials ${notice.missingCredentials.join(', ')} in this entity (Credentials page) before it runs.`,
    );
  else if (notice.credentials.length)
    lines.push(`The credentials it uses (${notice.credentials.join(', ')}) exist in this entity: none missing.`);
  else lines.push('It uses no credentials.');
  if (notice.missingWorkflows.length)
    lines.push(
      `It calls workflows this entity lacks (${notice.missingWorkflows.join(', ')}): pick them in the nodes that call them.`,
    );
  if (notice.masked.length) lines.push(maskedSentence(notice.masked));
  return lines;
}

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function rememberImport(workflowId: string, notice: ImportNotice, store: Store = sessionStorage): void {
  store.setItem(keyOf(workflowId), JSON.stringify(notice));
}

/** The notice for this workflow, once (a reload later does not show it again). */
export function takeImportNotice(workflowId: string, store: Store = sessionStorage): ImportNotice | null {
  const text = store.getItem(keyOf(workflowId));
  if (!text) return null;
  store.removeItem(keyOf(workflowId));
  try {
    return JSON.parse(text) as ImportNotice;
  } catch {
    return null;
  }
}
