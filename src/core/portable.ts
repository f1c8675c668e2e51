/**
 * @module core/portable
 * The portable form of a workflow (export, import, templates): the definition with no ids of
 * this instance. Workflows it calls (action_workflow, settings.error_workflow_id) become
 * references by name; literal secrets in configs are masked; credentials are listed by name.
 */
import { type Static, Type } from '@sinclair/typebox';
import { credentialNames } from './credential-refs.ts';
import { hasTemplate } from './templates.ts';
import {
  ConnectionsSchema,
  NodesSchema,
  VariablesSchema,
  type WorkflowDefinition,
  type WorkflowNode,
  type WorkflowSettings,
} from './workflow.ts';

export const PORTABLE_FORMAT = 'workflow-core/1';
export const SECRET_MASK = '••••••';
/** Where a called workflow was missing on import: validation then reports it. */
export const MISSING_WORKFLOW_ID = '00000000-0000-0000-0000-000000000000';
const SECRET_KEY = /secret|password|passwd|token|api[-_]?key|authorization|cookie/i;

export const PortableWorkflowSchema = Type.Object(
  {
    format: Type.Literal(PORTABLE_FORMAT),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    nodes: NodesSchema,
    connections: ConnectionsSchema,
    global_variables: Type.Optional(VariablesSchema),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    credentials: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 })),
    workflows: Type.Optional(
      Type.Array(Type.Object({ ref: Type.String({ maxLength: 64 }), name: Type.String({ maxLength: 200 }) }), {
        maxItems: 500,
      }),
    ),
  },
  { additionalProperties: false },
);
export type PortableWorkflow = Static<typeof PortableWorkflowSchema>;

function maskSecrets(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) && !hasTemplate(value) ? SECRET_MASK : value;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, key, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, maskSecrets(item, k, depth + 1)]));
}

/**
 * The portable document. `calls` lists where workflow ids sit in node configs; `nameOf` answers
 * a called workflow's name (undefined: unknown, exported as a reference nobody can resolve).
 */
export function toPortable(
  workflow: WorkflowDefinition & { readonly name: string; readonly description: string },
  calls: readonly { readonly nodeId: string; readonly workflowId: string }[],
  names: ReadonlyMap<string, string>,
): PortableWorkflow {
  const refs = new Map<string, string>();
  const refOf = (workflowId: string) => {
    let ref = refs.get(workflowId);
    if (!ref) {
      ref = `workflow-${refs.size + 1}`;
      refs.set(workflowId, ref);
    }
    return ref;
  };
  const nodes: Record<string, WorkflowNode> = {};
  for (const [id, node] of Object.entries(workflow.nodes)) {
    nodes[id] = { ...node, ...(node.config ? { config: maskSecrets(node.config) as Record<string, unknown> } : {}) };
  }
  for (const { nodeId, workflowId } of calls) {
    const config = { ...(nodes[nodeId].config ?? {}) };
    for (const [field, value] of Object.entries(config)) if (value === workflowId) config[field] = refOf(workflowId);
    nodes[nodeId] = { ...nodes[nodeId], config };
  }
  const settings: Record<string, unknown> = { ...workflow.settings };
  if (typeof settings.error_workflow_id === 'string') settings.error_workflow_id = refOf(settings.error_workflow_id);
  return {
    format: PORTABLE_FORMAT,
    name: workflow.name,
    description: workflow.description,
    nodes,
    connections: workflow.connections.map((connection) => ({ ...connection })),
    global_variables: { ...workflow.global_variables },
    settings,
    credentials: credentialNames(workflow.nodes),
    workflows: [...refs].map(([workflowId, ref]) => ({ ref, name: names.get(workflowId) ?? '' })),
  };
}

/** The definition of a portable document, references replaced by ids (`idOf` answers undefined: missing). */
export function fromPortable(
  document: PortableWorkflow,
  idOf: ReadonlyMap<string, string>,
): { nodes: Record<string, WorkflowNode>; settings: WorkflowSettings; missingRefs: string[] } {
  const refs = new Map((document.workflows ?? []).map((entry) => [entry.ref, entry]));
  const missing = new Set<string>();
  const resolve = (value: unknown): unknown => {
    if (typeof value !== 'string' || !refs.has(value)) return value;
    const id = idOf.get(value);
    if (!id) missing.add(value);
    return id ?? MISSING_WORKFLOW_ID;
  };
  const nodes: Record<string, WorkflowNode> = {};
  for (const [id, node] of Object.entries(document.nodes)) {
    const config = node.config
      ? Object.fromEntries(Object.entries(node.config).map(([field, value]) => [field, resolve(value)]))
      : undefined;
    nodes[id] = { ...node, ...(config ? { config } : {}) };
  }
  const settings = { ...(document.settings ?? {}) } as Record<string, unknown>;
  if (settings.error_workflow_id !== undefined) settings.error_workflow_id = resolve(settings.error_workflow_id);
  return { nodes, settings: settings as WorkflowSettings, missingRefs: [...missing] };
}
