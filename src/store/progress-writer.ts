/**
 * @module store/progress-writer
 * Group commit for execution writes: new rows, claims, node-boundary updates and ends from every
 * execution are gathered for one turn of the event loop and written in one transaction. Each caller's promise
 * resolves once its update is committed, so "stored as the node completes" still holds, at a
 * fraction of the cost of one commit per node.
 */
import type { Db, ExecutionRowUpdate, NewExecutionRow } from './database.ts';
import { claimExecution, finishExecution, insertExecution, updateExecution } from './executions-repository.ts';

interface Insert {
  readonly row: NewExecutionRow;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Claim {
  readonly executionId: string;
  readonly startTime: string;
  readonly resolve: (claimed: boolean) => void;
  readonly reject: (error: unknown) => void;
}

interface Pending {
  changes: ExecutionRowUpdate;
  /** The write ends the run: it applies only while the row is still queued or running. */
  final: boolean;
  readonly waiters: Array<{ resolve: (applied: boolean) => void; reject: (error: unknown) => void }>;
}

export interface ProgressWriter {
  write(executionId: string, changes: ExecutionRowUpdate): Promise<void>;
  /** The end of a run, in the same group commit; resolves false when the run had already ended. */
  finish(executionId: string, changes: ExecutionRowUpdate): Promise<boolean>;
  /** queued → running in the next group commit; resolves false when it was not queued any more. */
  claim(executionId: string, startTime: string): Promise<boolean>;
  /** A new execution row, committed with the next group (before its claim, in the same order). */
  insert(row: NewExecutionRow): Promise<void>;
  /** Writes what is pending now. */
  flush(): Promise<void>;
}

export function createProgressWriter(db: Db): ProgressWriter {
  let pending = new Map<string, Pending>();
  let claims: Claim[] = [];
  let inserts: Insert[] = [];
  let scheduled = false;
  let flushing: Promise<void> = Promise.resolve();

  async function writeBatch(batch: Map<string, Pending>, batchClaims: Claim[], batchInserts: Insert[]): Promise<void> {
    try {
      const applied = new Map<string, boolean>();
      const claimed: boolean[] = [];
      await db.transaction().execute(async (trx) => {
        for (const insert of batchInserts) await insertExecution(trx, insert.row);
        for (const claim of batchClaims) claimed.push(await claimExecution(trx, claim.executionId, claim.startTime));
        for (const [executionId, { changes, final }] of batch) {
          if (final) applied.set(executionId, await finishExecution(trx, executionId, changes));
          else await updateExecution(trx, executionId, changes);
        }
      });
      for (const [executionId, { waiters }] of batch) {
        for (const waiter of waiters) waiter.resolve(applied.get(executionId) ?? true);
      }
      for (const [index, claim] of batchClaims.entries()) claim.resolve(claimed[index]);
      for (const insert of batchInserts) insert.resolve();
    } catch (error) {
      for (const insert of batchInserts) insert.reject(error);
      for (const claim of batchClaims) claim.reject(error);
      for (const { waiters } of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }

  function flush(): Promise<void> {
    scheduled = false;
    if (pending.size === 0 && claims.length === 0 && inserts.length === 0) return flushing;
    const batch = pending;
    const batchClaims = claims;
    const batchInserts = inserts;
    pending = new Map();
    claims = [];
    inserts = [];
    // Batches commit in order, so a later checkpoint never lands under an earlier one.
    flushing = flushing.then(() => writeBatch(batch, batchClaims, batchInserts));
    return flushing;
  }

  function enqueue(executionId: string, changes: ExecutionRowUpdate, final: boolean): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const existing = pending.get(executionId);
      if (existing) {
        // Later progress of the same run supersedes earlier progress not yet written.
        existing.changes = { ...existing.changes, ...changes };
        existing.final ||= final;
        existing.waiters.push({ resolve, reject });
      } else {
        pending.set(executionId, { changes, final, waiters: [{ resolve, reject }] });
      }
      schedule();
    });
  }

  function schedule(): void {
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }

  return {
    async write(executionId, changes) {
      await enqueue(executionId, changes, false);
    },
    finish: (executionId, changes) => enqueue(executionId, changes, true),
    insert(row) {
      return new Promise<void>((resolve, reject) => {
        inserts.push({ row, resolve, reject });
        schedule();
      });
    },
    claim(executionId, startTime) {
      return new Promise<boolean>((resolve, reject) => {
        claims.push({ executionId, startTime, resolve, reject });
        schedule();
      });
    },
    flush,
  };
}
