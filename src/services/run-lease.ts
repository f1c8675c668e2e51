/**
 * @module services/run-lease
 * A run is fenced by its lease: a claim or takeover raises the row's lease epoch, every write of
 * the run holds only under its epoch, and an effect that leaves the process is preceded by such a
 * write. A worker whose write is refused lost the run to another worker and stops it at once.
 */
import type { Logger } from 'pino';
import type { Db, ExecutionRow } from '../store/database.ts';
import { takeOverExecution } from '../store/executions-repository.ts';
import type { ProgressWriter } from '../store/progress-writer.ts';

/**
 * Takes the run's lease: claims a queued row, or takes over a running one (resume). Answers the
 * epoch and the row as of the claim, or undefined when the run is not this process's to run.
 */
export async function leaseRun(
  db: Db,
  progress: ProgressWriter,
  row: ExecutionRow,
): Promise<{ epoch: number; row: ExecutionRow } | undefined> {
  const at = new Date().toISOString();
  if (row.status === 'queued') {
    const epoch = await progress.claim(row.execution_id, at);
    if (epoch === undefined) return undefined;
    return { epoch, row: { ...row, status: 'running', start_time: at, lease_epoch: epoch } };
  }
  // Taken after the previous holder's last write: its checkpoint is the one to resume from.
  const taken = await takeOverExecution(db, row.execution_id, at);
  if (!taken) return undefined;
  return { epoch: taken.lease_epoch, row: { ...row, ...taken } };
}

/**
 * A side-effect port that first writes under the lease (the delivery's record): when that is
 * refused the run lost its lease, and the effect is not made.
 */
export function fenced<T extends object>(port: T, method: keyof T, check: () => Promise<void>): T {
  const call = (port[method] as (...args: unknown[]) => Promise<unknown>).bind(port);
  return {
    ...port,
    [method]: async (...args: unknown[]) => {
      await check();
      return call(...args);
    },
  };
}

export interface LeaseGuardOptions {
  readonly executionId: string;
  readonly epoch: number;
  readonly progress: ProgressWriter;
  readonly logger: Logger;
  /** Aborted when the lease is lost. */
  readonly controller: AbortController;
}

/** The lease of one run while it runs: lost once, and checked (by a write) before each effect. */
export function createLeaseGuard(options: LeaseGuardOptions) {
  const { executionId, epoch, progress, logger, controller } = options;
  let leaseLost = false;
  const lose = () => {
    if (leaseLost) return;
    leaseLost = true;
    logger.warn({ execution_id: executionId, lease_epoch: epoch }, 'lease lost: another worker runs it now');
    controller.abort(new Error('lease lost'));
  };
  const check = async () => {
    const held = !leaseLost && (await progress.write(executionId, epoch, { updated_at: new Date().toISOString() }));
    if (!held) {
      lose();
      throw new Error('The run moved to another worker (lease lost); not delivered');
    }
  };
  return { lose, check, lost: () => leaseLost };
}
