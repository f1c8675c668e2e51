/**
 * @module services/trigger-index
 * The in-memory index of published command and event triggers (PRODUCT.md §6), so a dispatch
 * costs O(matches), not O(workflows): entity → command name → triggers (one map keyed exactly
 * for case-sensitive triggers, one keyed lower-cased for the others) and entity → event type →
 * triggers. Kept current on publish and archive; a workflow's triggers are replaced as a whole.
 *
 * Command names match as written, prefix character included, with the node's case rule:
 * `command_name: "!so"` matches `!so` (and `!SO` unless case-sensitive), never `so`.
 */
import type { WorkflowNode } from '../core/workflow.ts';
import { enabledTriggers } from '../nodes/enabled-triggers.ts';
import { triggerCommand } from '../nodes/trigger-command.ts';
import { triggerEvent } from '../nodes/trigger-event.ts';

export interface TriggerBase {
  readonly workflowId: string;
  readonly entityId: number;
  readonly communityId: number | null;
  readonly version: number;
  readonly nodeId: string;
  /** Lower-cased; empty: every platform. */
  readonly platforms: ReadonlySet<string>;
}

export interface CommandTrigger extends TriggerBase {
  readonly kind: 'command';
  /** As written; lower-cased unless case-sensitive. */
  readonly name: string;
  readonly caseSensitive: boolean;
  readonly requireMod: boolean;
  readonly cooldownMs: number;
  readonly userCooldownMs: number;
}

export interface EventTrigger extends TriggerBase {
  readonly kind: 'event';
  readonly eventType: string;
  /** Path into the trigger data → the value it must equal. */
  readonly filters: ReadonlyArray<readonly [string, unknown]>;
}

export type IndexedTrigger = CommandTrigger | EventTrigger;

interface EntityTriggers {
  readonly exact: Map<string, CommandTrigger[]>;
  readonly folded: Map<string, CommandTrigger[]>;
  readonly events: Map<string, EventTrigger[]>;
}

interface IndexedWorkflow {
  readonly entityId: number;
  readonly version: number;
  readonly triggers: readonly IndexedTrigger[];
}

function platformSet(platforms: readonly string[]): ReadonlySet<string> {
  return new Set(platforms.map((platform) => platform.toLowerCase()));
}

/** The command and event triggers of one published snapshot; disabled trigger nodes never fire. */
export function triggersOf(
  workflow: {
    readonly workflowId: string;
    readonly entityId: number;
    readonly communityId: number | null;
    readonly version: number;
  },
  nodes: Readonly<Record<string, WorkflowNode>>,
): IndexedTrigger[] {
  const commands = enabledTriggers(nodes, triggerCommand).map(({ nodeId, config }): CommandTrigger => {
    const caseSensitive = config.case_sensitive;
    return {
      ...workflow,
      nodeId,
      platforms: platformSet(config.platforms),
      kind: 'command',
      name: caseSensitive ? config.command_name : config.command_name.toLowerCase(),
      caseSensitive,
      requireMod: config.require_mod,
      cooldownMs: config.cooldown_seconds * 1000,
      userCooldownMs: config.user_cooldown_seconds * 1000,
    };
  });
  const events = enabledTriggers(nodes, triggerEvent).map(
    ({ nodeId, config }): EventTrigger => ({
      ...workflow,
      nodeId,
      platforms: platformSet(config.platforms),
      kind: 'event',
      eventType: config.event_type,
      filters: Object.entries(config.event_filters),
    }),
  );
  return [...commands, ...events];
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const bucket = map.get(key);
  if (bucket) bucket.push(value);
  else map.set(key, [value]);
}

function pull<T extends TriggerBase>(map: Map<string, T[]>, key: string, workflowId: string): void {
  const bucket = map.get(key);
  if (!bucket) return;
  const kept = bucket.filter((t) => t.workflowId !== workflowId);
  if (kept.length > 0) map.set(key, kept);
  else map.delete(key);
}

const NONE: readonly never[] = [];

export interface TriggerIndex {
  /** Replaces a workflow's triggers with those of `version`; an older version than indexed is ignored. */
  replace(workflowId: string, entityId: number, version: number, triggers: readonly IndexedTrigger[]): void;
  remove(workflowId: string): void;
  /** The command triggers of the entity whose name is `command` (case folded where the trigger allows). */
  commands(entityId: number, command: string): readonly CommandTrigger[];
  events(entityId: number, eventType: string): readonly EventTrigger[];
  /** The version indexed for a workflow, if any (for the periodic sync). */
  versionOf(workflowId: string): number | undefined;
  readonly workflowCount: number;
}

export function createTriggerIndex(): TriggerIndex {
  const entities = new Map<number, EntityTriggers>();
  const workflows = new Map<string, IndexedWorkflow>();

  function remove(workflowId: string): void {
    const current = workflows.get(workflowId);
    if (!current) return;
    workflows.delete(workflowId);
    const entity = entities.get(current.entityId);
    if (!entity) return;
    for (const trigger of current.triggers) {
      if (trigger.kind === 'event') pull(entity.events, trigger.eventType, workflowId);
      else pull(trigger.caseSensitive ? entity.exact : entity.folded, trigger.name, workflowId);
    }
    if (entity.exact.size + entity.folded.size + entity.events.size === 0) entities.delete(current.entityId);
  }

  return {
    replace(workflowId, entityId, version, triggers) {
      const current = workflows.get(workflowId);
      if (current && current.version > version) return;
      remove(workflowId);
      if (triggers.length === 0) return;
      let entity = entities.get(entityId);
      if (!entity) {
        entity = { exact: new Map(), folded: new Map(), events: new Map() };
        entities.set(entityId, entity);
      }
      for (const trigger of triggers) {
        if (trigger.kind === 'event') push(entity.events, trigger.eventType, trigger);
        else push(trigger.caseSensitive ? entity.exact : entity.folded, trigger.name, trigger);
      }
      workflows.set(workflowId, { entityId, version, triggers });
    },

    remove,

    commands(entityId, command) {
      const entity = entities.get(entityId);
      if (!entity) return NONE;
      const exact = entity.exact.get(command) ?? NONE;
      const folded = entity.folded.get(command.toLowerCase()) ?? NONE;
      return exact.length === 0 ? folded : folded.length === 0 ? exact : [...exact, ...folded];
    },

    events(entityId, eventType) {
      return entities.get(entityId)?.events.get(eventType) ?? NONE;
    },

    versionOf(workflowId) {
      return workflows.get(workflowId)?.version;
    },

    get workflowCount() {
      return workflows.size;
    },
  };
}
