/**
 * @module nodes/secret-config
 * Config fields a node type's schema declares secret (PRODUCT.md §3): a field with `writeOnly`
 * (action_webhook's `signing_secret`), and the values of a record marked `x-secret-by-name`
 * whose keys look secret (header values such as `Authorization`). Callers without `can_edit`
 * read them masked; an edit that sends the mask back keeps the stored value.
 */
import { isSecretHeaderName, SECRET_MASK } from '../core/secrets.ts';
import type { WorkflowNode } from '../core/workflow.ts';
import { getNodeType } from './registry.ts';

type Nodes = Readonly<Record<string, WorkflowNode>>;
type Config = Record<string, unknown>;

interface SecretFields {
  readonly whole: readonly string[];
  readonly byName: readonly string[];
}

const cache = new Map<string, SecretFields>();

function secretFieldsOf(nodeType: string): SecretFields {
  const known = cache.get(nodeType);
  if (known) return known;
  const properties = (getNodeType(nodeType)?.configSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const fields: SecretFields = {
    whole: Object.keys(properties).filter((name) => properties[name].writeOnly === true),
    byName: Object.keys(properties).filter((name) => properties[name]['x-secret-by-name'] === true),
  };
  cache.set(nodeType, fields);
  return fields;
}

function isRecord(value: unknown): value is Config {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Applies `replace` to every secret value of every node; nodes without secrets are kept as they are. */
function mapSecrets(
  nodes: Nodes,
  replace: (value: unknown, nodeId: string, path: readonly string[]) => unknown,
): Nodes {
  let changed = false;
  const out: Record<string, WorkflowNode> = {};
  for (const [id, node] of Object.entries(nodes)) {
    out[id] = node;
    const config = node.config;
    if (!config) continue;
    const { whole, byName } = secretFieldsOf(node.node_type);
    if (whole.length === 0 && byName.length === 0) continue;
    const next: Config = { ...config };
    for (const field of whole) if (field in next) next[field] = replace(next[field], id, [field]);
    for (const field of byName) {
      const record = next[field];
      if (!isRecord(record)) continue;
      const entries = Object.entries(record).map(([key, value]) => [
        key,
        isSecretHeaderName(key) ? replace(value, id, [field, key]) : value,
      ]);
      next[field] = Object.fromEntries(entries);
    }
    out[id] = { ...node, config: next };
    changed = true;
  }
  return changed ? out : nodes;
}

/** The nodes as a caller without `can_edit` reads them. */
export function maskSecretConfig(nodes: Nodes): Nodes {
  return mapSecrets(nodes, (value) => (typeof value === 'string' && value !== '' ? SECRET_MASK : value));
}

/** An edit's nodes, with every secret value sent back as the mask replaced by the stored one. */
export function keepMaskedSecrets(incoming: Nodes, stored: Nodes): Nodes {
  return mapSecrets(incoming, (value, nodeId, path) => {
    if (value !== SECRET_MASK) return value;
    let current: unknown = stored[nodeId]?.config;
    for (const key of path) current = isRecord(current) ? current[key] : undefined;
    return current ?? value;
  });
}
