/**
 * @module services/retention
 * History care: runs older than EXECUTION_RETENTION_DAYS go, and no workflow keeps more than
 * EXECUTION_RETENTION_PER_WORKFLOW runs; test runs go first in both. Deletes happen in small
 * batches with a pause between them a few times as long as the batch took, so pruning takes a
 * bounded share of the database and the event loop (a SQLite delete blocks the process while it
 * runs) and requests and runs are served throughout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { PruneFilter, RetentionStore } from '../store/retention-repository.ts';

export interface RetentionOptions {
  readonly days: number;
  readonly perWorkflow: number;
  readonly batchSize: number;
  /** Shortest pause between two batches (lets other queries through). */
  readonly pauseMs?: number;
  readonly now?: () => Date;
}

export interface PruneReport {
  readonly deleted: number;
  readonly batches: number;
}

/**
 * Pause after a batch, as a multiple of the time it took (on the SQLite thread: of the time its
 * delete held the write lock, during which the main connection's writes wait): pruning then holds
 * at most 1 / (1 + 4) of the time. Measured with `npm run bench -- retention` (docs/BENCHMARKS.md).
 */
const PAUSE_PER_BATCH_TIME = 4;

export function createRetention(store: RetentionStore, options: RetentionOptions, logger?: Logger) {
  const pauseMs = options.pauseMs ?? 5;
  let running: Promise<PruneReport> | undefined;
  let stopping = false;

  /** Deletes in batches until `filter` matches nothing or `budget` rows are gone. */
  async function drain(filter: PruneFilter, budget: number, report: { deleted: number; batches: number }) {
    while (budget > 0 && !stopping) {
      const started = performance.now();
      const { deleted, lockMs } = await store.deleteEndedRuns(filter, Math.min(budget, options.batchSize));
      report.batches++;
      report.deleted += deleted;
      budget -= deleted;
      if (deleted < options.batchSize || budget <= 0) return;
      const heldMs = lockMs ?? performance.now() - started;
      await sleep(Math.max(pauseMs, Math.round(heldMs * PAUSE_PER_BATCH_TIME)));
    }
  }

  async function prune(): Promise<PruneReport> {
    const report = { deleted: 0, batches: 0 };
    const now = (options.now ?? (() => new Date()))();
    const queuedBefore = new Date(now.getTime() - options.days * 86_400_000).toISOString();
    for (const testMode of [1, 0] as const) await drain({ testMode, queuedBefore }, Number.POSITIVE_INFINITY, report);
    for (const { workflow_id, total } of await store.workflowsOver(options.perWorkflow)) {
      let excess = total - options.perWorkflow;
      for (const testMode of [1, 0] as const) {
        const before = report.deleted;
        await drain({ testMode, workflowId: workflow_id }, excess, report);
        excess -= report.deleted - before;
      }
    }
    if (report.deleted > 0) logger?.info(report, 'pruned execution history');
    return report;
  }

  return {
    /** One pass; a pass already under way is joined, not doubled. */
    prune(): Promise<PruneReport> {
      running ??= prune().finally(() => {
        running = undefined;
      });
      return running;
    },
    /** Ends the pass under way after its current batch, then closes the store (the SQLite thread). */
    async stop(): Promise<void> {
      stopping = true;
      await running?.catch(() => undefined);
      await store.close();
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
