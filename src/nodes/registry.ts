/**
 * @module nodes/registry
 * The node catalog: one line per node type. Executors and semantic checks reached through the
 * registry always see their config with the schema's defaults filled in, whoever calls them.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { actionBrowserSource } from './action-browser-source.ts';
import { actionChatMessage } from './action-chat-message.ts';
import { actionDelay } from './action-delay.ts';
import { actionModule } from './action-module.ts';
import { actionWebhook } from './action-webhook.ts';
import { actionWorkflow } from './action-workflow.ts';
import { conditionFilter } from './condition-filter.ts';
import { conditionIf } from './condition-if.ts';
import { conditionSwitch } from './condition-switch.ts';
import { withDefaults } from './config-defaults.ts';
import { dataTransform } from './data-transform.ts';
import { dataVariableGet } from './data-variable-get.ts';
import { dataVariableSet } from './data-variable-set.ts';
import { flowEnd } from './flow-end.ts';
import { flowMerge } from './flow-merge.ts';
import { flowParallel } from './flow-parallel.ts';
import { loopBreak } from './loop-break.ts';
import { loopForeach } from './loop-foreach.ts';
import { loopWhile } from './loop-while.ts';
import { INPUT_PORT, NODE_CATEGORIES, type NodeType } from './node-type.ts';
import { triggerCommand } from './trigger-command.ts';
import { triggerEvent } from './trigger-event.ts';
import { triggerManual } from './trigger-manual.ts';
import { triggerSchedule } from './trigger-schedule.ts';
import { triggerWebhook } from './trigger-webhook.ts';

/**
 * Defaulted configs per config object: a published version's configs are the same objects run
 * after run, so the defaults are filled once. Frozen, so no executor can change what the next
 * run sees.
 */
function cachedDefaults(schema: TSchema): (config: unknown) => Record<string, unknown> {
  const filled = new WeakMap<object, Record<string, unknown>>();
  let empty: Record<string, unknown> | undefined;
  return (config) => {
    if (config === undefined || config === null) {
      empty ??= Object.freeze(withDefaults(schema, {}));
      return empty;
    }
    if (typeof config !== 'object') return withDefaults(schema, config);
    let result = filled.get(config);
    if (!result) {
      result = Object.freeze(withDefaults(schema, config));
      filled.set(config, result);
    }
    return result;
  };
}

/**
 * Erases the config type so all node types fit one map. Sound because the wrapper fills defaults
 * and callers validate configs against `configSchema` before running a node.
 */
function register<Config>(node: NodeType<Config>): NodeType {
  const typed = node as unknown as NodeType;
  const defaulted = cachedDefaults(node.configSchema);
  return {
    ...typed,
    validateConfig:
      typed.validateConfig && ((config) => typed.validateConfig?.(withDefaults(node.configSchema, config)) ?? []),
    joinInputs: typed.joinInputs && ((config) => typed.joinInputs?.(defaulted(config)) ?? -1),
    // async: a node that throws synchronously still rejects, so callers handle one failure path.
    execute: async (config, input, ctx) => typed.execute(defaulted(config), input, ctx),
  };
}

export const nodeTypes: ReadonlyMap<string, NodeType> = new Map(
  [
    register(triggerCommand),
    register(triggerEvent),
    register(triggerWebhook),
    register(triggerSchedule),
    register(triggerManual),
    register(conditionIf),
    register(conditionSwitch),
    register(conditionFilter),
    register(actionChatMessage),
    register(actionWebhook),
    register(actionModule),
    register(actionBrowserSource),
    register(actionDelay),
    register(actionWorkflow),
    register(dataVariableSet),
    register(dataVariableGet),
    register(dataTransform),
    register(loopForeach),
    register(loopWhile),
    register(loopBreak),
    register(flowParallel),
    register(flowMerge),
    register(flowEnd),
  ].map((node) => [node.type, node] as const),
);

export function getNodeType(type: string): NodeType | undefined {
  return nodeTypes.get(type);
}

/** The workflows a definition's nodes call, by node (sub-workflow calls). */
export function calledWorkflowsOf(
  nodes: Readonly<Record<string, { readonly node_type: string; readonly config?: unknown }>>,
): { nodeId: string; workflowId: string }[] {
  return Object.entries(nodes).flatMap(([nodeId, node]) => {
    const type = nodeTypes.get(node.node_type);
    if (!type?.calledWorkflows) return [];
    return type
      .calledWorkflows(withDefaults(type.configSchema, node.config))
      .map((workflowId) => ({ nodeId, workflowId }));
  });
}

/** `config` with the defaults of its node type; unknown types get a plain copy. */
export function applyConfigDefaults(type: string, config: unknown): Record<string, unknown> {
  const node = nodeTypes.get(type);
  if (node) return withDefaults(node.configSchema, config);
  return config !== null && typeof config === 'object' && !Array.isArray(config) ? { ...config } : {};
}

export const NodeTypeInfoSchema = Type.Object({
  node_type: Type.String(),
  category: Type.Union(NODE_CATEGORIES.map((category) => Type.Literal(category))),
  description: Type.String(),
  // A node type's configSchema is a TSchema: always a JSON object (never `true`), so the answer declares one.
  config_schema: Type.Object(
    {},
    { additionalProperties: true, description: 'JSON Schema of the config, with defaults' },
  ),
  input_ports: Type.Array(Type.String()),
  output_ports: Type.Array(Type.String(), { description: 'for dynamic types, the ports of the default config' }),
  dynamic_output_ports: Type.Boolean({ description: 'true when the output ports depend on the config' }),
  output_schema: Type.Unknown({ description: 'JSON Schema of what the node writes to nodes.<id>.output' }),
  examples: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'valid configs' }),
});
export type NodeTypeInfo = Static<typeof NodeTypeInfoSchema>;

/** The catalog as GET /api/v1/workflows/node-types answers it. */
export function listNodeTypes(): NodeTypeInfo[] {
  return [...nodeTypes.values()].map((node) => {
    const dynamic = typeof node.outputPorts === 'function';
    return {
      node_type: node.type,
      category: node.category,
      description: node.description,
      config_schema: node.configSchema,
      input_ports: node.hasInput ? [INPUT_PORT] : [],
      output_ports: [
        ...(typeof node.outputPorts === 'function'
          ? node.outputPorts(withDefaults(node.configSchema, {}))
          : node.outputPorts),
      ],
      dynamic_output_ports: dynamic,
      output_schema: node.outputSchema,
      examples: node.examples.map((example) => ({ ...example })),
    };
  });
}
