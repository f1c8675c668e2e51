/**
 * @module editor/node-catalog
 * What the editor knows about node types, from `GET /api/v1/workflows/node-types`: categories in
 * palette order, a colour and glyph per category, and the ports of a node given its config (a
 * switch's ports follow its cases).
 */
import type { NodeTypeInfo, WorkflowNode } from '../api/types.ts';

export const CATEGORY_ORDER = ['trigger', 'condition', 'action', 'data', 'loop', 'flow'] as const;

export const CATEGORY_GLYPHS: Readonly<Record<string, string>> = {
  trigger: '⚡',
  condition: '◆',
  action: '▶',
  data: '≡',
  loop: '↻',
  flow: '⇉',
};

export type Catalog = ReadonlyMap<string, NodeTypeInfo>;

export function createCatalog(types: readonly NodeTypeInfo[]): Catalog {
  return new Map(types.map((type) => [type.node_type, type]));
}

/** The node types grouped by category, in palette order, filtered by a search text. */
export function paletteGroups(types: readonly NodeTypeInfo[], search = ''): Array<[string, NodeTypeInfo[]]> {
  const needle = search.trim().toLowerCase();
  const groups = new Map<string, NodeTypeInfo[]>();
  for (const category of CATEGORY_ORDER) groups.set(category, []);
  for (const type of types) {
    const text = `${type.node_type} ${type.category} ${type.description}`.toLowerCase();
    if (needle && !needle.split(/\s+/).every((word) => text.includes(word))) continue;
    if (!groups.has(type.category)) groups.set(type.category, []);
    groups.get(type.category)?.push(type);
  }
  return [...groups].filter(([, list]) => list.length > 0);
}

/** Mirrors the server's switch ports: every case's port, then the default port. */
function switchPorts(config: Record<string, unknown>): string[] {
  const ports = new Set<string>();
  const cases = config.cases;
  if (cases && typeof cases === 'object') {
    for (const port of Object.values(cases)) if (typeof port === 'string' && port) ports.add(port);
  }
  ports.add(typeof config.default_port === 'string' && config.default_port ? config.default_port : 'default');
  return [...ports];
}

export function outputPortsOf(info: NodeTypeInfo | undefined, node: WorkflowNode): readonly string[] {
  if (!info) return ['output'];
  if (info.dynamic_output_ports) return switchPorts(node.config ?? {});
  return info.output_ports;
}

export function inputPortsOf(info: NodeTypeInfo | undefined): readonly string[] {
  return info ? info.input_ports : ['input'];
}

export function isTrigger(info: NodeTypeInfo | undefined): boolean {
  return info?.category === 'trigger';
}
