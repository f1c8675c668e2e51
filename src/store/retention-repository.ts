/**
 * @module store/retention-repository
 * Deletes of old execution history, one bounded batch per call (a short transaction each), so
 * pruning never holds the database for long. Only ended runs are touched. The queries are built
 * once and run either on the connection (PostgreSQL, whose deletes do not block the process) or
 * on the SQLite worker thread (store/sqlite-thread.ts), where a delete's CPU time and the WAL
 * checkpoints after it stay off the event loop.
 */
import type { Db } from './database.ts';
import type { SqliteThread } from './sqlite-thread.ts';

const ENDED = ['completed', 'failed', 'cancelled'];

/** Which ended runs a batch may delete: test runs or not, and queued before a time or of one workflow. */
export interface PruneFilter {
  readonly testMode: 0 | 1;
  readonly queuedBefore?: string;
  readonly workflowId?: string;
}

export interface DeletedBatch {
  readonly deleted: number;
  /** How long the delete held the database's write lock, when that is known apart from the round trip. */
  readonly lockMs?: number;
}

export interface RetentionStore {
  /** Deletes up to `limit` of the oldest ended runs matching `filter`. */
  deleteEndedRuns(filter: PruneFilter, limit: number): Promise<DeletedBatch>;
  /** Workflows holding more than `keep` runs, with their count. */
  workflowsOver(keep: number): Promise<{ workflow_id: string; total: number }[]>;
  close(): Promise<void>;
}

function deleteEndedRunsQuery(db: Db, filter: PruneFilter, limit: number) {
  let oldest = db
    .selectFrom('executions')
    .select('execution_id')
    .where('test_mode', '=', filter.testMode)
    .where('status', 'in', ENDED);
  if (filter.queuedBefore !== undefined) oldest = oldest.where('queued_at', '<', filter.queuedBefore);
  if (filter.workflowId !== undefined) oldest = oldest.where('workflow_id', '=', filter.workflowId);
  return db.deleteFrom('executions').where('execution_id', 'in', oldest.orderBy('queued_at').limit(limit));
}

function workflowsOverQuery(db: Db, keep: number) {
  return db
    .selectFrom('executions')
    .select(['workflow_id', (eb) => eb.fn.countAll<number>().as('total')])
    .groupBy('workflow_id')
    .having((eb) => eb.fn.countAll(), '>', keep);
}

const counted = (rows: { workflow_id: string; total: number | string | bigint }[]) =>
  rows.map((row) => ({ workflow_id: row.workflow_id, total: Number(row.total) }));

/** The statements on `db`'s own connection. */
export function connectionRetentionStore(db: Db): RetentionStore {
  return {
    async deleteEndedRuns(filter, limit) {
      const result = await deleteEndedRunsQuery(db, filter, limit).executeTakeFirst();
      return { deleted: Number(result.numDeletedRows) };
    },
    async workflowsOver(keep) {
      return counted(await workflowsOverQuery(db, keep).execute());
    },
    close: async () => undefined,
  };
}

/** The statements compiled by `db` and run on `thread`, which has its own connection to the same file. */
export function threadRetentionStore(db: Db, thread: SqliteThread): RetentionStore {
  return {
    async deleteEndedRuns(filter, limit) {
      const { changes, lockMs } = await thread.write(deleteEndedRunsQuery(db, filter, limit).compile());
      return { deleted: changes, lockMs };
    },
    async workflowsOver(keep) {
      return counted(await thread.read(workflowsOverQuery(db, keep).compile()));
    },
    close: () => thread.close(),
  };
}
