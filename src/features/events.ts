/**
 * @module features/events
 * The events feature: the trigger index (filled at start, kept current on publish and archive),
 * the cooldown store (Redis when REDIS_URL is set, else memory), the dispatcher, and its routes.
 * Exports the dispatcher, which the composition root hands to the gRPC door.
 */
import type { AppContext, AppModule } from '../app-module.ts';
import { route } from '../http/route.ts';
import { eventRoutes } from '../http/routes/events.ts';
import { createMemoryCooldowns, createRedisCooldowns } from '../services/cooldowns.ts';
import { createEventDispatcher, type EventDispatcher } from '../services/event-dispatcher.ts';
import { createTriggerIndex } from '../services/trigger-index.ts';
import { indexVersion, loadAllTriggers, syncChangedTriggers } from '../services/trigger-sync.ts';

/** With several processes on one database, how often this one picks up the others' publishes. */
const SYNC_INTERVAL_MS = 5_000;
/** Re-reads a little before the last pass so clock skew between processes loses nothing. */
const SYNC_OVERLAP_MS = 10_000;

export interface EventsFeature extends AppModule {
  readonly dispatcher: EventDispatcher;
}

export function eventsFeature(context: AppContext): EventsFeature {
  const { config, database, lifecycle, logger } = context;
  const index = createTriggerIndex();
  const cooldowns = context.redis ? createRedisCooldowns({ redis: context.redis }) : createMemoryCooldowns();
  const dispatcher: EventDispatcher = createEventDispatcher({
    index,
    cooldowns,
    executions: context.executions,
    logger,
    // One process: the index changes in step with publish and archive, so a match is known to be
    // active and starting it needs no read. Several processes learn of changes later: read then.
    trustIndex: !config.redisUrl,
  });

  lifecycle.subscribe({
    afterPublished({ workflow, version }) {
      indexVersion(index, workflow, version.version, version.snapshot.nodes);
    },
    afterArchived(workflow) {
      index.remove(workflow.workflow_id);
    },
  });

  let timer: NodeJS.Timeout | null = null;
  let syncing = false;
  function scheduleSync(): void {
    let lastPass = Date.now();
    timer = setInterval(async () => {
      if (syncing) return;
      syncing = true;
      const startedAt = Date.now();
      try {
        await syncChangedTriggers(database.db, index, new Date(lastPass - SYNC_OVERLAP_MS).toISOString());
        lastPass = startedAt;
      } catch (error) {
        logger.warn({ err: error }, 'trigger index sync failed; retrying');
      } finally {
        syncing = false;
      }
    }, SYNC_INTERVAL_MS);
    timer.unref();
  }

  return {
    name: 'events',
    dispatcher,
    routes: [route(eventRoutes, { dispatcher })],
    async start() {
      const loaded = await loadAllTriggers(database.db, index);
      logger.debug({ workflows: loaded, indexed: index.workflowCount }, 'trigger index loaded');
      // Only a shared deployment (Redis) has other processes publishing behind this one's back.
      if (config.redisUrl) scheduleSync();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await cooldowns.close();
    },
  };
}
