/**
 * @module services/watch-limits
 * How many live watchers one execution and one caller may hold in this process (PRODUCT.md §10):
 * each costs a connection and up to the lag limit in buffered frames.
 */
import { AppError } from '../errors.ts';

export interface WatchLimits {
  /** Takes a place, or throws 429 RATE_LIMIT_EXCEEDED; answers the release (idempotent). */
  acquire(executionId: string, callerId: string): () => void;
}

export function createWatchLimits(perExecution: number, perCaller: number): WatchLimits {
  const byExecution = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string, by: number) => {
    const next = (map.get(key) ?? 0) + by;
    if (next <= 0) map.delete(key);
    else map.set(key, next);
  };
  return {
    acquire(executionId, callerId) {
      if ((byExecution.get(executionId) ?? 0) >= perExecution) {
        throw new AppError('RATE_LIMIT_EXCEEDED', `This execution already has ${perExecution} live watchers`, {
          limit: perExecution,
        });
      }
      if ((byCaller.get(callerId) ?? 0) >= perCaller) {
        throw new AppError('RATE_LIMIT_EXCEEDED', `This caller already holds ${perCaller} live watchers`, {
          limit: perCaller,
        });
      }
      bump(byExecution, executionId, 1);
      bump(byCaller, callerId, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        bump(byExecution, executionId, -1);
        bump(byCaller, callerId, -1);
      };
    },
  };
}
