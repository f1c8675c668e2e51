/**
 * @module core/validate
 * The validation result of PRODUCT.md section 4: every error and warning, each message naming the
 * node, field or connection, node errors also grouped by node id. Linear in the size of the
 * workflow (one pass over nodes, one over connections, Tarjan for cycles, one BFS per loop).
 * The checks of one node's config against its type are config-problems.ts.
 */
import { type Static, Type } from '@sinclair/typebox';
import { withDefaults } from '../nodes/config-defaults.ts';
import { INPUT_PORT, LOOP_BODY_PORT, type NodeType, type NodeTypeLookup, outputPortsOf } from '../nodes/node-type.ts';
import { scheduleNodeCount } from '../nodes/trigger-schedule.ts';
import { webhookTriggerNodeIds } from '../nodes/trigger-webhook.ts';
import { configProblems } from './config-problems.ts';
import { DEFAULT_MAX_CONFIG_STRING_BYTES, oversizedConfigStrings } from './config-strings.ts';
import { adjacencyOf, cyclicComponents, type GraphInput, isEnabled, loopBody, reachableFrom } from './graph.ts';
import { type Connection, connectionLabel } from './workflow.ts';

export const DEFAULT_MAX_NODES = 500;
export const DEFAULT_MAX_LOOP_DEPTH = 10;
export const DEFAULT_MAX_SCHEDULE_NODES = 10;
const MAX_NAMES_IN_MESSAGE = 10;

export interface ValidationOptions {
  readonly maxLoopDepth?: number;
  readonly maxNodes?: number;
  /** MAX_CONFIG_STRING_BYTES: the longest string a node config may hold. */
  readonly maxConfigStringBytes?: number;
  /** Each schedule node fires on its own: a cap keeps one workflow from flooding the scheduler. */
  readonly maxScheduleNodes?: number;
  /** The workflow has webhooks: they start nothing without a trigger_webhook node. */
  readonly hasWebhooks?: boolean;
}

export const ValidationResultSchema = Type.Object({
  is_valid: Type.Boolean(),
  errors: Type.Array(Type.String()),
  warnings: Type.Array(Type.String()),
  node_validation_errors: Type.Record(Type.String(), Type.Array(Type.String())),
  error_count: Type.Integer(),
  warning_count: Type.Integer(),
});
export type ValidationResult = Static<typeof ValidationResultSchema>;

/** What validation knows about one node after its own checks. */
interface NodeInfo {
  readonly id: string;
  readonly typeName: string;
  readonly type: NodeType | undefined;
  readonly ports: ReadonlySet<string>;
}

function describeConnection(connection: Connection, index: number): string {
  if (connection.connection_id !== undefined) return `Connection '${connection.connection_id}'`;
  const label = connectionLabel(connection, index);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function nameList(ids: readonly string[]): string {
  const shown = ids.slice(0, MAX_NAMES_IN_MESSAGE).map((id) => `'${id}'`);
  const more = ids.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function inspectNode(
  id: string,
  node: unknown,
  nodeTypes: NodeTypeLookup,
  addNodeError: (id: string, message: string) => void,
  maxStringBytes: number,
): NodeInfo {
  const typeName = node !== null && typeof node === 'object' ? (node as { node_type?: unknown }).node_type : undefined;
  if (typeof typeName !== 'string') {
    addNodeError(id, `Node '${id}' has no node_type`);
    return { id, typeName: '', type: undefined, ports: new Set() };
  }
  const type = nodeTypes(typeName);
  if (!type) {
    addNodeError(id, `Node '${id}': unknown node type '${typeName}'`);
    return { id, typeName, type, ports: new Set() };
  }
  const rawConfig = (node as { config?: unknown }).config;
  const oversized = oversizedConfigStrings(rawConfig, maxStringBytes);
  for (const problem of oversized) addNodeError(id, `Node '${id}' (${typeName}): ${problem}`);
  const config = withDefaults(type.configSchema, rawConfig);
  for (const problem of configProblems(type, config)) addNodeError(id, `Node '${id}' (${typeName}): ${problem}`);
  const ports = new Set(outputPortsOf(type, config));
  return { id, typeName, type, ports };
}

/** Port problems of one connection; none when a node's type is unknown (already reported). */
function connectionProblems(label: string, connection: Connection, from: NodeInfo, to: NodeInfo): string[] {
  const problems: string[] = [];
  if (from.type && !from.ports.has(connection.from_port_name)) {
    const ports = from.ports.size > 0 ? `its output ports are ${nameList([...from.ports])}` : 'it has no output ports';
    problems.push(
      `${label}: node '${from.id}' (${from.typeName}) has no output port '${connection.from_port_name}'; ${ports}`,
    );
  }
  if (to.type && !to.type.hasInput) {
    problems.push(`${label}: node '${to.id}' (${to.typeName}) is a trigger and has no input port`);
  } else if (to.type && connection.to_port_name !== INPUT_PORT) {
    problems.push(
      `${label}: node '${to.id}' (${to.typeName}) has no input port '${connection.to_port_name}'; its input port is '${INPUT_PORT}'`,
    );
  }
  return problems;
}

/** `nodeTypes`: the catalog to check against (the registry's `getNodeType` in the service). */
export function validateWorkflow(
  definition: GraphInput,
  nodeTypes: NodeTypeLookup,
  options: ValidationOptions = {},
): ValidationResult {
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const maxLoopDepth = options.maxLoopDepth ?? DEFAULT_MAX_LOOP_DEPTH;
  const nodes = definition.nodes ?? {};
  const ids = Object.keys(nodes);
  const workflowErrors: string[] = [];
  const connectionErrors: string[] = [];
  const warnings: string[] = [];
  const nodeErrors = new Map<string, string[]>();
  const addNodeError = (id: string, message: string): void => {
    const list = nodeErrors.get(id);
    if (list) list.push(message);
    else nodeErrors.set(id, [message]);
  };
  if (ids.length === 0) return result(['Workflow has no nodes'], [], new Map(), ids);
  if (ids.length > maxNodes) workflowErrors.push(`Workflow has ${ids.length} nodes; the maximum is ${maxNodes}`);
  const maxSchedules = options.maxScheduleNodes ?? DEFAULT_MAX_SCHEDULE_NODES;
  const schedules = scheduleNodeCount(nodes);
  if (schedules > maxSchedules)
    workflowErrors.push(`Workflow has ${schedules} trigger_schedule nodes; the maximum is ${maxSchedules}`);
  if (options.hasWebhooks && webhookTriggerNodeIds(nodes).length === 0)
    warnings.push('Workflow has webhooks but no enabled trigger_webhook node: its webhooks will answer 409');

  const maxStringBytes = options.maxConfigStringBytes ?? DEFAULT_MAX_CONFIG_STRING_BYTES;
  const infos = ids.map((id) => inspectNode(id, nodes[id], nodeTypes, addNodeError, maxStringBytes));
  const position = new Map(ids.map((id, index) => [id, index]));
  const structure = infos.map((info) => info.type?.structure);
  const isLoop = structure.map((kind) => kind === 'loop');

  // Connections: existence and ports; the valid enabled ones form the graph.
  const edges: { from: number; to: number }[] = [];
  const bodyStarts = new Map<number, number[]>();
  const outDegree = new Uint32Array(ids.length);
  const inDegree = new Uint32Array(ids.length);
  (definition.connections ?? []).forEach((connection, index) => {
    const label = describeConnection(connection, index);
    const from = position.get(connection.from_node_id);
    const to = position.get(connection.to_node_id);
    if (from === undefined) connectionErrors.push(`${label}: source node '${connection.from_node_id}' does not exist`);
    if (to === undefined) connectionErrors.push(`${label}: target node '${connection.to_node_id}' does not exist`);
    if (from === undefined || to === undefined) return;
    const problems = connectionProblems(label, connection, infos[from], infos[to]);
    connectionErrors.push(...problems);
    if (problems.length > 0 || !isEnabled(connection)) return;
    edges.push({ from, to });
    outDegree[from] += 1;
    inDegree[to] += 1;
    if (connection.from_port_name === LOOP_BODY_PORT && isLoop[from]) {
      const starts = bodyStarts.get(from);
      if (starts) starts.push(to);
      else bodyStarts.set(from, [to]);
    }
  });
  const adjacency = adjacencyOf(ids.length, edges);

  for (const component of cyclicComponents(adjacency, (node) => !isLoop[node])) {
    workflowErrors.push(
      `Cycle through nodes ${nameList(component.map((node) => ids[node]))} does not pass through a loop_foreach or loop_while node`,
    );
  }

  // Loop bodies: loop_break must sit in one; nesting is counted by how many bodies hold a loop.
  const bodyCount = new Uint32Array(ids.length);
  const loopsAround = new Uint32Array(ids.length);
  isLoop.forEach((loop, node) => {
    if (!loop) return;
    for (const member of loopBody(adjacency, node, bodyStarts.get(node) ?? [])) {
      bodyCount[member] += 1;
      if (isLoop[member]) loopsAround[member] += 1;
    }
  });
  infos.forEach((info, node) => {
    if (structure[node] === 'break' && bodyCount[node] === 0) {
      addNodeError(
        info.id,
        `Node '${info.id}' (${info.typeName}) is not inside the body of a loop_foreach or loop_while`,
      );
    }
  });

  const triggers = infos.flatMap((info, node) => (info.type?.category === 'trigger' ? [node] : []));
  if (triggers.length === 0) warnings.push('Workflow has no trigger node');
  const reached = triggers.length > 0 ? reachableFrom(adjacency, triggers) : undefined;
  infos.forEach((info, node) => {
    if (reached && !reached[node]) warnings.push(`Node '${info.id}' is not reachable from any trigger`);
    if (outDegree[node] === 0 && structure[node] !== 'end')
      warnings.push(`Node '${info.id}' has no outgoing connections`);
    if (structure[node] === 'join' && inDegree[node] === 1) {
      warnings.push(`Node '${info.id}' (${info.typeName}) has only one incoming connection`);
    }
    const depth = loopsAround[node] + 1;
    if (isLoop[node] && depth > maxLoopDepth) {
      warnings.push(
        `Node '${info.id}' (${info.typeName}): loops are nested ${depth} deep here; the limit is ${maxLoopDepth}`,
      );
    }
  });

  return result([...workflowErrors, ...connectionErrors], warnings, nodeErrors, ids);
}

/** Errors list node errors first (in node order), then workflow and connection errors. */
function result(
  otherErrors: string[],
  warnings: string[],
  nodeErrors: Map<string, string[]>,
  ids: readonly string[],
): ValidationResult {
  const grouped = ids.filter((id) => nodeErrors.has(id)).map((id) => [id, nodeErrors.get(id) as string[]] as const);
  const errors = [...grouped.flatMap(([, messages]) => messages), ...otherErrors];
  return {
    is_valid: errors.length === 0,
    errors,
    warnings,
    node_validation_errors: Object.fromEntries(grouped),
    error_count: errors.length,
    warning_count: warnings.length,
  };
}
