/**
 * @module panels/version-diff
 * What changed between two workflow definitions (two versions, or a version and the working
 * copy): nodes added, removed and changed field by field (dotted paths into the node: `label`,
 * `config.message`, `position.x`), and connections added or removed. Connections are compared by
 * what they join, not by `connection_id`, which the editor may renumber.
 */

export interface DiffableNode {
  readonly node_type: string;
  readonly [field: string]: unknown;
}

export interface DiffableDefinition {
  readonly nodes: Readonly<Record<string, DiffableNode>>;
  readonly connections: ReadonlyArray<{
    readonly from_node_id: string;
    readonly from_port_name: string;
    readonly to_node_id: string;
    readonly to_port_name: string;
    readonly enabled?: boolean;
  }>;
}

export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface VersionDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: ReadonlyArray<{ readonly nodeId: string; readonly fields: readonly FieldChange[] }>;
  readonly connectionsAdded: readonly string[];
  readonly connectionsRemoved: readonly string[];
  readonly identical: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaves of `value` by dotted path; arrays are compared whole (their order is meaningful). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const key of Object.keys(value).sort()) flatten(value[key], prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  if (prefix) out.set(prefix, value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffNode(before: DiffableNode, after: DiffableNode): FieldChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  flatten(before, '', a);
  flatten(after, '', b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: FieldChange[] = [];
  for (const path of paths) {
    if (!same(a.get(path), b.get(path))) changes.push({ path, before: a.get(path), after: b.get(path) });
  }
  return changes;
}

export function connectionKey(c: DiffableDefinition['connections'][number]): string {
  const off = c.enabled === false ? ' (disabled)' : '';
  return `${c.from_node_id}:${c.from_port_name} → ${c.to_node_id}:${c.to_port_name}${off}`;
}

export function diffVersions(before: DiffableDefinition, after: DiffableDefinition): VersionDiff {
  const oldIds = Object.keys(before.nodes);
  const newIds = Object.keys(after.nodes);
  const added = newIds.filter((id) => !Object.hasOwn(before.nodes, id)).sort();
  const removed = oldIds.filter((id) => !Object.hasOwn(after.nodes, id)).sort();
  const changed = oldIds
    .filter((id) => Object.hasOwn(after.nodes, id))
    .sort()
    .map((nodeId) => ({ nodeId, fields: diffNode(before.nodes[nodeId], after.nodes[nodeId]) }))
    .filter((entry) => entry.fields.length > 0);
  const oldConnections = new Set(before.connections.map(connectionKey));
  const newConnections = new Set(after.connections.map(connectionKey));
  const connectionsAdded = [...newConnections].filter((key) => !oldConnections.has(key)).sort();
  const connectionsRemoved = [...oldConnections].filter((key) => !newConnections.has(key)).sort();
  return {
    added,
    removed,
    changed,
    connectionsAdded,
    connectionsRemoved,
    identical:
      added.length + removed.length + changed.length + connectionsAdded.length + connectionsRemoved.length === 0,
  };
}

/** A value as one short line for the diff table. */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
