/**
 * @module nodes/enabled-triggers
 * The one place a trigger's consumer reads its nodes' config: the dispatch index (commands,
 * events), the scheduler (schedules) and the webhook trigger each take the enabled nodes of their
 * kind from a snapshot here, with the config typed and its defaults filled in by the node type.
 * A disabled trigger node never fires (PRODUCT.md §3, §9). Published configs passed validation,
 * so they match their schema, which the engine relies on as well when it runs them.
 */
import { withDefaults } from './config-defaults.ts';
import type { NodeType } from './node-type.ts';

export interface TriggerNode<Config> {
  readonly nodeId: string;
  readonly config: Config;
}

/** The enabled nodes of type `kind`, in definition order. */
export function enabledTriggers<Config>(
  nodes: Readonly<
    Record<string, { readonly node_type: string; readonly enabled?: boolean; readonly config?: unknown }>
  >,
  kind: NodeType<Config>,
): TriggerNode<Config>[] {
  const found: TriggerNode<Config>[] = [];
  for (const [nodeId, node] of Object.entries(nodes)) {
    if (node.node_type !== kind.type || node.enabled === false) continue;
    found.push({ nodeId, config: withDefaults(kind.configSchema, node.config) as Config });
  }
  return found;
}
