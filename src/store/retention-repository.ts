/**
 * @module store/retention-repository
 * Deletes of old execution history, one bounded batch per call (a short transaction each), so
 * pruning never holds the database for long. Only ended runs are touched.
 */
import type { Db } from './database.ts';

const ENDED = ['completed', 'failed', 'cancelled'];

/** Which ended runs a batch may delete: test runs or not, and queued before a time or of one workflow. */
export interface PruneFilter {
  readonly testMode: 0 | 1;
  readonly queuedBefore?: string;
  readonly workflowId?: string;
}

/** Deletes up to `limit` of the oldest ended runs matching `filter`; answers how many. */
export async function deleteEndedRuns(db: Db, filter: PruneFilter, limit: number): Promise<number> {
  let oldest = db
    .selectFrom('executions')
    .select('execution_id')
    .where('test_mode', '=', filter.testMode)
    .where('status', 'in', ENDED);
  if (filter.queuedBefore !== undefined) oldest = oldest.where('queued_at', '<', filter.queuedBefore);
  if (filter.workflowId !== undefined) oldest = oldest.where('workflow_id', '=', filter.workflowId);
  const result = await db
    .deleteFrom('executions')
    .where('execution_id', 'in', oldest.orderBy('queued_at').limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Workflows holding more than `keep` runs, with their count. */
export async function workflowsOver(db: Db, keep: number): Promise<{ workflow_id: string; total: number }[]> {
  const rows = await db
    .selectFrom('executions')
    .select(['workflow_id', (eb) => eb.fn.countAll<number>().as('total')])
    .groupBy('workflow_id')
    .having((eb) => eb.fn.countAll(), '>', keep)
    .execute();
  return rows.map((row) => ({ workflow_id: row.workflow_id, total: Number(row.total) }));
}
