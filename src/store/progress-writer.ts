/**
 * @module store/progress-writer
 * Group commit for execution writes: new rows, claims, node-boundary updates and ends from every
 * execution are gathered and written in one transaction, one transaction at a time: what arrives
 * while one commits waits for it and goes in the next, so the batches grow with the load (one
 * turn of the event loop is the shortest wait) instead of queueing one small commit per write. Each caller's promise
 * resolves once its update is committed, so "stored as the node completes" still holds, at a
 * fraction of the cost of one commit per node. Every write of a run carries the lease epoch of its
 * claim and resolves false when that lease moved on: the writer then stops the run.
 */
import type { Db, ExecutionRowUpdate, NewExecutionRow } from './database.ts';
import { claimExecution, insertExecution, updateExecution } from './executions-repository.ts';

export interface Insert {
  readonly row: NewExecutionRow;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface Claim {
  readonly executionId: string;
  readonly startTime: string;
  readonly resolve: (epoch: number | undefined) => void;
  readonly reject: (error: unknown) => void;
}

interface Pending {
  changes: ExecutionRowUpdate;
  /** The lease the writes were made under. */
  readonly epoch: number;
  readonly waiters: Array<{ resolve: (applied: boolean) => void; reject: (error: unknown) => void }>;
}

export interface ProgressWriter {
  /**
   * Progress or the end of a run under lease `epoch`; resolves false when that lease moved on or
   * the run already ended (nothing was written).
   */
  write(executionId: string, epoch: number, changes: ExecutionRowUpdate): Promise<boolean>;
  /** queued → running in the next group commit: the new lease epoch, or undefined when not queued any more. */
  claim(executionId: string, startTime: string): Promise<number | undefined>;
  /** A new execution row, committed with the next group (before its claim, in the same order). */
  insert(row: NewExecutionRow): Promise<void>;
  /** Writes what is pending now. */
  flush(): Promise<void>;
}

/**
 * A run claimed in the batch that inserts it (a webhook or execute whose run starts at once) is
 * inserted already claimed, as the claim's UPDATE would leave it in the same transaction: one
 * statement instead of two (the claim was about a tenth of a webhook's CPU). Nothing outside the
 * transaction can see the row between the two, so nothing else changes.
 */
export function claimsFoldedIntoInserts(
  inserts: readonly Insert[],
  claims: readonly Claim[],
): { rows: NewExecutionRow[]; claimedAtInsert: Map<Claim, number> } {
  const claimedAtInsert = new Map<Claim, number>();
  if (claims.length === 0) return { rows: inserts.map((insert) => insert.row), claimedAtInsert };
  const claimOf = new Map<string, Claim>();
  for (const claim of claims) if (!claimOf.has(claim.executionId)) claimOf.set(claim.executionId, claim);
  const rows = inserts.map(({ row }) => {
    const claim = claimOf.get(row.execution_id);
    if (!claim || row.status !== 'queued' || Number(row.cancel_requested ?? 0) !== 0) return row;
    const epoch = (row.lease_epoch ?? 0) + 1;
    claimedAtInsert.set(claim, epoch);
    claimOf.delete(row.execution_id);
    return {
      ...row,
      status: 'running',
      start_time: claim.startTime,
      updated_at: claim.startTime,
      resume_attempts: 1,
      lease_epoch: epoch,
    };
  });
  return { rows, claimedAtInsert };
}

export function createProgressWriter(db: Db): ProgressWriter {
  let pending = new Map<string, Pending>();
  let claims: Claim[] = [];
  let inserts: Insert[] = [];
  let scheduled = false;
  /** The batch being committed; the next one is cut when it ends. */
  let writing: Promise<void> | undefined;

  async function writeBatch(batch: Map<string, Pending>, batchClaims: Claim[], batchInserts: Insert[]): Promise<void> {
    try {
      const applied = new Map<string, boolean>();
      const claimed: Array<number | undefined> = [];
      const { rows, claimedAtInsert } = claimsFoldedIntoInserts(batchInserts, batchClaims);
      await db.transaction().execute(async (trx) => {
        for (const row of rows) await insertExecution(trx, row);
        for (const claim of batchClaims) {
          const epoch = claimedAtInsert.get(claim);
          claimed.push(epoch ?? (await claimExecution(trx, claim.executionId, claim.startTime)));
        }
        for (const [executionId, { changes, epoch }] of batch) {
          applied.set(executionId, await updateExecution(trx, executionId, epoch, changes));
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

  /** Cuts the next batch, unless one is committing (its end cuts it then). */
  function pump(): void {
    scheduled = false;
    if (writing || (pending.size === 0 && claims.length === 0 && inserts.length === 0)) return;
    const batch = pending;
    const batchClaims = claims;
    const batchInserts = inserts;
    pending = new Map();
    claims = [];
    inserts = [];
    // One batch at a time, so a later checkpoint never lands under an earlier one.
    writing = writeBatch(batch, batchClaims, batchInserts).finally(() => {
      writing = undefined;
      // Cut at the end of this turn, not now: a synchronous driver (SQLite) lets no request in
      // while it commits, so what waits now is only what the commit's own callbacks wrote.
      if (pending.size > 0 || claims.length > 0 || inserts.length > 0) schedule();
    });
  }

  /** Resolves once everything pending now is committed. */
  async function flush(): Promise<void> {
    pump();
    if (writing) await writing;
    // What was pending behind a batch already committing is cut now (or was, at its end).
    pump();
    if (writing) await writing;
  }

  function enqueue(executionId: string, epoch: number, changes: ExecutionRowUpdate): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const existing = pending.get(executionId);
      if (existing && existing.epoch === epoch) {
        // Later progress of the same run supersedes earlier progress not yet written.
        existing.changes = { ...existing.changes, ...changes };
        existing.waiters.push({ resolve, reject });
      } else if (existing && existing.epoch > epoch) {
        resolve(false);
      } else {
        // Writes under an older lease of this run lose to the newer lease, as in the database.
        for (const waiter of existing?.waiters ?? []) waiter.resolve(false);
        pending.set(executionId, { changes, epoch, waiters: [{ resolve, reject }] });
      }
      schedule();
    });
  }

  function schedule(): void {
    if (!scheduled) {
      scheduled = true;
      setImmediate(pump);
    }
  }

  return {
    write: enqueue,
    insert(row) {
      return new Promise<void>((resolve, reject) => {
        inserts.push({ row, resolve, reject });
        schedule();
      });
    },
    claim(executionId, startTime) {
      return new Promise<number | undefined>((resolve, reject) => {
        claims.push({ executionId, startTime, resolve, reject });
        schedule();
      });
    },
    flush,
  };
}
