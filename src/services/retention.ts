/**
 * @module services/retention
 * History care: runs older than EXECUTION_RETENTION_DAYS go, and no workflow keeps more than
 * EXECUTION_RETENTION_PER_WORKFLOW runs; test runs go first in both. Deletes happen in small
 * batches with a pause between them, so requests and runs are served throughout.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Db } from '../store/database.ts';
import { deleteOldestRuns, deleteRunsBefore, workflowsOver } from '../store/retention-repository.ts';

export const RETENTION_SERVICE = 'retention';

export interface RetentionOptions {
  readonly days: number;
  readonly perWorkflow: number;
  readonly batchSize: number;
  /** Pause between two batches (lets other queries through). */
  readonly pauseMs?: number;
  readonly now?: () => Date;
}

export interface PruneReport {
  readonly deleted: number;
  readonly batches: number;
}

export function createRetention(db: Db, options: RetentionOptions, logger?: Logger) {
  const pauseMs = options.pauseMs ?? 5;
  let running: Promise<PruneReport> | undefined;
  let stopping = false;

  async function drain(step: () => Promise<number>, report: { deleted: number; batches: number }): Promise<void> {
    while (!stopping) {
      const deleted = await step();
      report.batches++;
      report.deleted += deleted;
      if (deleted < options.batchSize) return;
      await sleep(pauseMs);
    }
  }

  async function prune(): Promise<PruneReport> {
    const report = { deleted: 0, batches: 0 };
    const now = (options.now ?? (() => new Date()))();
    const before = new Date(now.getTime() - options.days * 86_400_000).toISOString();
    for (const testMode of [1, 0] as const) {
      await drain(() => deleteRunsBefore(db, before, testMode, options.batchSize), report);
    }
    for (const { workflow_id, total } of await workflowsOver(db, options.perWorkflow)) {
      let excess = total - options.perWorkflow;
      for (const testMode of [1, 0] as const) {
        while (excess > 0 && !stopping) {
          const deleted = await deleteOldestRuns(db, workflow_id, testMode, Math.min(excess, options.batchSize));
          report.batches++;
          report.deleted += deleted;
          excess -= deleted;
          if (deleted === 0) break;
          await sleep(pauseMs);
        }
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
    async stop(): Promise<void> {
      stopping = true;
      await running?.catch(() => undefined);
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
