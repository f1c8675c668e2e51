/**
 * @module services/execution-cancel
 * Cancelling a run (PRODUCT.md §5): marked first, so no claim or resume starts it; aborted where
 * it runs, or ended here when it runs nowhere; then the sub-workflow runs it started.
 */
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { findExecutionStatus, findUnfinishedChildren, requestCancel } from '../store/executions-repository.ts';
import { type ExecutionStatus, TERMINAL_STATUSES } from './execution-types.ts';
import type { ExecutionRunner } from './runner-types.ts';

/** Shared queue: how long a cancel waits for the run to stop where it runs before answering. */
const CANCEL_SETTLE_MS = 2000;

export interface ExecutionCancelDeps {
  readonly db: Db;
  readonly logger: Logger;
  readonly runner: Pick<ExecutionRunner, 'cancel' | 'shared' | 'endUnstarted' | 'cancelEverywhere'>;
  /** The row, or 404 EXECUTION_NOT_FOUND. */
  row(executionId: string): Promise<ExecutionRow>;
  waitForEnd(executionId: string, timeoutMs: number): Promise<ExecutionRow | undefined>;
}

export function createExecutionCancel(deps: ExecutionCancelDeps) {
  const { db, logger, runner, row, waitForEnd } = deps;

  /** Cancels a run and, after it, the sub-workflow runs it started that are still going. */
  async function cancelOne(executionId: string) {
    const current = await row(executionId);
    if (TERMINAL_STATUSES.has(current.status as ExecutionStatus)) {
      throw new AppError('EXECUTION_NOT_CANCELLABLE', `Execution is already ${current.status}`, {
        status: current.status,
      });
    }
    const at = new Date().toISOString();
    await requestCancel(db, executionId, at);
    const abortedHere = runner.cancel(executionId);
    if (!abortedHere && runner.shared) await cancelShared(executionId, at);
    // Not running in this process (queued, or left by a crash): end it here.
    else if (!abortedHere) await runner.endUnstarted(executionId, at);
    for (const child of await findUnfinishedChildren(db, executionId)) await cancelQuietly(child);
    const after = await row(executionId);
    return { execution_id: executionId, status: 'cancelled', cancelled_at: after.cancelled_at ?? at };
  }

  async function cancelQuietly(executionId: string): Promise<void> {
    try {
      await cancelOne(executionId);
    } catch (error) {
      if (!(error instanceof AppError)) logger.warn({ err: error, execution_id: executionId }, 'cancel failed');
    }
  }

  /**
   * Shared queue, run not in this process. A row still queued now stays so (no claim succeeds
   * once `cancel_requested` is set): end it here. A running one is aborted where it runs; answer
   * once it stopped, or after a moment when its worker is gone (the job's next delivery ends it).
   */
  async function cancelShared(executionId: string, at: string): Promise<void> {
    const status = await findExecutionStatus(db, executionId);
    // Only while still queued: once claimed, only its lease holder may end it.
    if (status === 'queued' && (await runner.endUnstarted(executionId, at, true))) return;
    if (status !== 'running' && status !== 'queued') return;
    await runner.cancelEverywhere(executionId);
    await waitForEnd(executionId, CANCEL_SETTLE_MS).catch(() => undefined);
  }

  return { cancelOne, cancelQuietly };
}
