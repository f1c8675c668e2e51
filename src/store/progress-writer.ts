/**
 * @module store/progress-writer
 * Group commit for execution progress: node-boundary updates from every running execution are
 * gathered for one turn of the event loop and written in one transaction. Each caller's promise
 * resolves once its update is committed, so "stored as the node completes" still holds, at a
 * fraction of the cost of one commit per node.
 */
import type { Db, ExecutionRowUpdate } from './database.ts';
import { updateExecution } from './executions-repository.ts';

interface Pending {
  changes: ExecutionRowUpdate;
  readonly waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

export interface ProgressWriter {
  write(executionId: string, changes: ExecutionRowUpdate): Promise<void>;
  /** Writes what is pending now. */
  flush(): Promise<void>;
}

export function createProgressWriter(db: Db): ProgressWriter {
  let pending = new Map<string, Pending>();
  let scheduled = false;
  let flushing: Promise<void> = Promise.resolve();

  async function writeBatch(batch: Map<string, Pending>): Promise<void> {
    try {
      await db.transaction().execute(async (trx) => {
        for (const [executionId, { changes }] of batch) await updateExecution(trx, executionId, changes);
      });
      for (const { waiters } of batch.values()) for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const { waiters } of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }

  function flush(): Promise<void> {
    scheduled = false;
    if (pending.size === 0) return flushing;
    const batch = pending;
    pending = new Map();
    // Batches commit in order, so a later checkpoint never lands under an earlier one.
    flushing = flushing.then(() => writeBatch(batch));
    return flushing;
  }

  return {
    write(executionId, changes) {
      return new Promise<void>((resolve, reject) => {
        const existing = pending.get(executionId);
        if (existing) {
          // Later progress of the same run supersedes earlier progress not yet written.
          existing.changes = { ...existing.changes, ...changes };
          existing.waiters.push({ resolve, reject });
        } else {
          pending.set(executionId, { changes, waiters: [{ resolve, reject }] });
        }
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}
