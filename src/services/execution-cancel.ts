/**
 * @module services/execution-cancel
 * Cancelling a run (PRODUCT.md §5): marked first, so no claim or resume starts it; aborted where
 * it runs, or ended here when it runs nowhere (the runner's one path, services/run-distribution.ts);
 * then the sub-workflow runs it started.
 */
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { Db, ExecutionRow } from '../store/database.ts';
import { findUnfinishedChildren, requestCancel } from '../store/executions-repository.ts';
import { isTerminal } from './execution-types.ts';
import type { ExecutionRunner } from './runner-types.ts';

export interface ExecutionCancelDeps {
  readonly db: Db;
  readonly logger: Logger;
  readonly runner: Pick<ExecutionRunner, 'cancel'>;
  /** The row, or 404 EXECUTION_NOT_FOUND. */
  row(executionId: string): Promise<ExecutionRow>;
}

export function createExecutionCancel(deps: ExecutionCancelDeps) {
  const { db, logger, runner, row } = deps;

  /** Cancels a run and, after it, the sub-workflow runs it started that are still going. */
  async function cancelOne(executionId: string) {
    const current = await row(executionId);
    if (isTerminal(current.status)) {
      throw new AppError('EXECUTION_NOT_CANCELLABLE', `Execution is already ${current.status}`, {
        status: current.status,
      });
    }
    const at = new Date().toISOString();
    await requestCancel(db, executionId, at);
    await runner.cancel(executionId, at);
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

  return { cancelOne, cancelQuietly };
}
