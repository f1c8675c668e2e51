/**
 * @module services/webhook-statistics
 * Webhook statistics (`trigger_count`, `last_triggered_at`) kept off the hot path: counted in
 * memory and written in one update per webhook per interval.
 */
import type { Logger } from 'pino';
import type { Db } from '../store/database.ts';
import { addWebhookStatistics } from '../store/webhooks-repository.ts';

/** Trigger counts gathered in memory and written in one update per webhook per interval. */
export function createStatisticsBatcher(db: Db, logger: Logger) {
  let pending = new Map<string, { count: number; lastAt: number }>();
  let flushing: Promise<void> = Promise.resolve();

  async function writeBatch(batch: Map<string, { count: number; lastAt: number }>): Promise<void> {
    for (const [webhookId, { count, lastAt }] of batch) {
      try {
        await addWebhookStatistics(db, webhookId, count, new Date(lastAt).toISOString());
      } catch (error) {
        logger.warn({ err: error, webhook_id: webhookId }, 'webhook statistics flush failed; kept for the next one');
        const later = pending.get(webhookId);
        pending.set(webhookId, { count: count + (later?.count ?? 0), lastAt: Math.max(lastAt, later?.lastAt ?? 0) });
      }
    }
  }

  return {
    record(webhookId: string, at: number): void {
      const entry = pending.get(webhookId);
      if (entry) {
        entry.count += 1;
        entry.lastAt = Math.max(entry.lastAt, at);
      } else pending.set(webhookId, { count: 1, lastAt: at });
    },
    /** Writes what was counted so far; flushes queue behind each other so none double-counts. */
    flush(): Promise<void> {
      flushing = flushing.then(() => {
        const batch = pending;
        pending = new Map();
        return batch.size === 0 ? undefined : writeBatch(batch);
      });
      return flushing;
    },
  };
}
export type StatisticsBatcher = ReturnType<typeof createStatisticsBatcher>;
