/**
 * @module core/credential-refs
 * `{{ $credentials.<name>.<field> }}` references in node configs: which credentials a definition
 * uses (validation, export, and what a run must load). The names are plain path segments.
 */
import { parsePath } from './paths.ts';
import { templatePaths } from './templates.ts';
import type { WorkflowNode } from './workflow.ts';

export const CREDENTIALS_VARIABLE = '$credentials';
export const CREDENTIAL_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_-]{0,63}$';
const NAME = new RegExp(CREDENTIAL_NAME_PATTERN);

export interface CredentialRef {
  readonly nodeId: string;
  readonly name: string;
  /** Missing when the reference names no field (a validation error). */
  readonly field: string | undefined;
  readonly path: string;
}

function collectStrings(value: unknown, out: string[], depth = 0): void {
  if (typeof value === 'string') {
    if (value.includes(CREDENTIALS_VARIABLE)) out.push(value);
  } else if (value !== null && typeof value === 'object' && depth < 64) {
    for (const item of Object.values(value)) collectStrings(item, out, depth + 1);
  }
}

/** Every credential reference of the nodes, in node order. */
export function credentialRefs(nodes: Readonly<Record<string, WorkflowNode>>): CredentialRef[] {
  const refs: CredentialRef[] = [];
  for (const [nodeId, node] of Object.entries(nodes)) {
    const strings: string[] = [];
    collectStrings(node.config, strings);
    for (const text of strings) {
      for (const path of templatePaths(text)) {
        let segments: readonly (string | number)[];
        try {
          segments = parsePath(path);
        } catch {
          continue;
        }
        if (segments[0] !== CREDENTIALS_VARIABLE) continue;
        const [, name, field] = segments;
        refs.push({ nodeId, name: String(name ?? ''), field: field === undefined ? undefined : String(field), path });
      }
    }
  }
  return refs;
}

/** The distinct credential names the nodes use, sorted. */
export function credentialNames(nodes: Readonly<Record<string, WorkflowNode>>): string[] {
  return [...new Set(credentialRefs(nodes).map((ref) => ref.name))].sort();
}

/** Node errors for references to unknown credentials or malformed ones. */
export function credentialProblems(
  nodes: Readonly<Record<string, WorkflowNode>>,
  known: ReadonlySet<string>,
): { nodeId: string; message: string }[] {
  return credentialRefs(nodes).flatMap((ref) => {
    if (!NAME.test(ref.name) || ref.field === undefined) {
      return [{ nodeId: ref.nodeId, message: `'${ref.path}' must be $credentials.<name>.<field>` }];
    }
    if (!known.has(ref.name)) {
      return [{ nodeId: ref.nodeId, message: `credential '${ref.name}' does not exist in this entity` }];
    }
    return [];
  });
}
