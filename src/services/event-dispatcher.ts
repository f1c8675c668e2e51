/**
 * @module services/event-dispatcher
 * How chat reaches workflows (PRODUCT.md §6), shared by REST (`POST /api/v1/workflows/events`)
 * and gRPC (`DispatchEvent`): one event in, the matching published triggers out of the index,
 * `require_mod` and both cooldowns applied, one execution started per match, and the
 * `{matched, skipped}` answer.
 *
 * Matched means the trigger's name (or event type and filters) and platform list fit the event;
 * a matched trigger that does not run is listed in `skipped` with its reason: `require_mod`,
 * `cooldown`, `user_cooldown`, or the error code (lower-cased) that refused to start it.
 */
import type { Logger } from 'pino';
import { isAppError } from '../errors.ts';
import type { CooldownClaim, Cooldowns } from './cooldowns.ts';
import { commandTriggerData, type DispatchEvent, eventTriggerData, filtersHold } from './dispatch-event.ts';
import type { ExecutionStarter } from './execution-types.ts';
import type { CommandTrigger, EventTrigger, IndexedTrigger, TriggerIndex } from './trigger-index.ts';

export interface DispatchResult {
  readonly matched: Array<{ workflow_id: string; node_id: string; execution_id: string }>;
  readonly skipped: Array<{ workflow_id: string; node_id: string; reason: string }>;
}

export interface EventDispatcherDeps {
  readonly index: TriggerIndex;
  readonly cooldowns: Cooldowns;
  readonly executions: ExecutionStarter;
  readonly logger: Logger;
  /** The index is current (one process): start matches without reading the workflow again. */
  readonly trustIndex?: boolean;
}

function cooldownClaims(trigger: CommandTrigger, userId: string): CooldownClaim[] {
  const claims: CooldownClaim[] = [];
  const id = `${trigger.workflowId}:${trigger.nodeId}`;
  if (trigger.userCooldownMs > 0) claims.push({ key: `u:${id}:${userId}`, ttlMs: trigger.userCooldownMs });
  if (trigger.cooldownMs > 0) claims.push({ key: `t:${id}`, ttlMs: trigger.cooldownMs });
  return claims;
}

function platformFits(trigger: IndexedTrigger, platform: string): boolean {
  return trigger.platforms.size === 0 || trigger.platforms.has(platform.toLowerCase());
}

export function createEventDispatcher(deps: EventDispatcherDeps) {
  const { index, cooldowns, executions, logger } = deps;

  /** Why a matched command trigger must not run now, or null. Claims the cooldowns when it may. */
  async function refusal(trigger: CommandTrigger, event: DispatchEvent): Promise<string | null> {
    if (trigger.requireMod && event.is_mod !== true) return 'require_mod';
    const claims = cooldownClaims(trigger, String(event.user_id));
    if (claims.length === 0) return null;
    const held = await cooldowns.claim(claims);
    if (held < 0) return null;
    return claims[held].key.startsWith('u:') ? 'user_cooldown' : 'cooldown';
  }

  async function commandCandidates(event: DispatchEvent) {
    const data = commandTriggerData(event);
    const triggers = index.commands(event.entity_id, data.command).filter((t) => platformFits(t, event.platform));
    const refusals = await Promise.all(triggers.map((t) => refusal(t, event)));
    return { data, triggers, refusals };
  }

  function eventCandidates(event: DispatchEvent) {
    const data = eventTriggerData(event);
    const triggers: EventTrigger[] = index
      .events(event.entity_id, data.event_type)
      .filter((t) => platformFits(t, event.platform) && filtersHold(t.filters, data));
    return { data, triggers, refusals: triggers.map(() => null) };
  }

  return {
    async dispatch(event: DispatchEvent, actorId: string | null = null): Promise<DispatchResult> {
      const { data, triggers, refusals } =
        event.type === 'command' ? await commandCandidates(event) : eventCandidates(event);
      const result: DispatchResult = { matched: [], skipped: [] };
      const failures: unknown[] = [];
      await Promise.all(
        triggers.map(async (trigger, i) => {
          const ids = { workflow_id: trigger.workflowId, node_id: trigger.nodeId };
          const refused = refusals[i];
          if (refused) return void result.skipped.push({ ...ids, reason: refused });
          try {
            const started = await executions.start(
              {
                workflowId: trigger.workflowId,
                triggerSource: event.type,
                triggerNodeIds: [trigger.nodeId],
                triggerData: data,
                actorId,
              },
              deps.trustIndex
                ? {
                    workflow_id: trigger.workflowId,
                    entity_id: trigger.entityId,
                    community_id: trigger.communityId,
                    published_version: trigger.version,
                  }
                : undefined,
            );
            result.matched.push({ ...ids, execution_id: started.execution_id });
          } catch (error) {
            if (!isAppError(error)) {
              failures.push(error);
              logger.error({ err: error, ...ids }, 'starting a triggered execution failed');
            }
            result.skipped.push({ ...ids, reason: isAppError(error) ? error.code.toLowerCase() : 'internal_error' });
          }
        }),
      );
      // Nothing ran and the store failed: a 500 the router may retry beats a 202 that hides it.
      if (failures.length > 0 && result.matched.length === 0) throw failures[0];
      return result;
    },
  };
}

export type EventDispatcher = ReturnType<typeof createEventDispatcher>;
