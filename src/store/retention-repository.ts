/**
 * @module store/retention-repository
 * Deletes of old execution history, one bounded batch per call (a short transaction each), so
 * pruning never holds the database for long. Only ended runs are touched.
 */
import type { Db } from './database.ts';

const ENDED = ['completed', 'failed', 'cancelled'];

/** Deletes up to `limit` ended runs queued before `before` (test runs or not); answers how many. */
export async function deleteRunsBefore(db: Db, before: string, testMode: 0 | 1, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('executions')
    .where(
      'execution_id',
      'in',
      db
        .selectFrom('executions')
        .select('execution_id')
        .where('test_mode', '=', testMode)
        .where('queued_at', '<', before)
        .where('status', 'in', ENDED)
        .orderBy('queued_at')
        .limit(limit),
    )
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

/** Deletes up to `limit` of a workflow's oldest ended runs (test runs or not); answers how many. */
export async function deleteOldestRuns(db: Db, workflowId: string, testMode: 0 | 1, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('executions')
    .where(
      'execution_id',
      'in',
      db
        .selectFrom('executions')
        .select('execution_id')
        .where('workflow_id', '=', workflowId)
        .where('test_mode', '=', testMode)
        .where('status', 'in', ENDED)
        .orderBy('queued_at')
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
