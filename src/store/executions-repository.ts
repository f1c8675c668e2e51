/**
 * @module store/executions-repository
 * Execution rows: inserted `queued`, claimed to `running`, updated with progress at node
 * boundaries, finished once. Conditional updates (status guards) make claims and cancels safe
 * against races.
 */
import { sql } from 'kysely';
import type { Db, ExecutionRow, ExecutionRowUpdate, NewExecutionRow } from './database.ts';
import { offsetOf, type PageRequest } from './pagination.ts';

export async function insertExecution(db: Db, row: NewExecutionRow): Promise<void> {
  await db.insertInto('executions').values(row).execute();
}

export async function findExecution(db: Db, executionId: string): Promise<ExecutionRow | undefined> {
  return db.selectFrom('executions').selectAll().where('execution_id', '=', executionId).executeTakeFirst();
}

export async function findExecutionStatus(db: Db, executionId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('executions')
    .select('status')
    .where('execution_id', '=', executionId)
    .executeTakeFirst();
  return row?.status;
}

export async function findExecutionWorkflowId(db: Db, executionId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('executions')
    .select('workflow_id')
    .where('execution_id', '=', executionId)
    .executeTakeFirst();
  return row?.workflow_id;
}

/**
 * queued → running under a new lease: answers the lease epoch the run's writes must carry, or
 * undefined when someone else claimed it or it was cancelled meanwhile.
 */
export async function claimExecution(db: Db, executionId: string, startTime: string): Promise<number | undefined> {
  const claimed = await db
    .updateTable('executions')
    .set((eb) => ({
      status: 'running',
      start_time: startTime,
      updated_at: startTime,
      resume_attempts: 1,
      lease_epoch: eb('lease_epoch', '+', 1),
    }))
    .where('execution_id', '=', executionId)
    .where('status', '=', 'queued')
    .where('cancel_requested', '=', 0)
    .returning('lease_epoch')
    .executeTakeFirst();
  return claimed?.lease_epoch;
}

/**
 * A running run changes hands (its worker died or stalled past its lease): the epoch rises, so
 * the previous holder's writes are refused from now on. Answers the new epoch and the checkpoint
 * as it stands at the takeover (nothing older can land after it), or undefined when it ended.
 */
export async function takeOverExecution(
  db: Db,
  executionId: string,
  at: string,
): Promise<Pick<ExecutionRow, 'lease_epoch' | 'checkpoint' | 'cancel_requested'> | undefined> {
  return db
    .updateTable('executions')
    .set((eb) => ({ updated_at: at, lease_epoch: eb('lease_epoch', '+', 1) }))
    .where('execution_id', '=', executionId)
    .where('status', '=', 'running')
    .returning(['lease_epoch', 'checkpoint', 'cancel_requested'])
    .executeTakeFirst();
}

/** Progress or the end of a run, under its lease; false when the lease moved on or the run ended. */
export async function updateExecution(
  db: Db,
  executionId: string,
  epoch: number,
  changes: ExecutionRowUpdate,
): Promise<boolean> {
  const result = await db
    .updateTable('executions')
    .set(keepFirstCancel(changes))
    .where('execution_id', '=', executionId)
    .where('lease_epoch', '=', epoch)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Ends an execution nobody holds (still queued, or left by a crash in a single process) unless it
 * already ended; false when it had. `onlyQueued`: not when it got claimed meanwhile.
 */
export async function finishExecution(
  db: Db,
  executionId: string,
  changes: ExecutionRowUpdate,
  onlyQueued = false,
): Promise<boolean> {
  const result = await db
    .updateTable('executions')
    .set(changes)
    .where('execution_id', '=', executionId)
    .where('status', 'in', onlyQueued ? ['queued'] : ['queued', 'running'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * A run has one `cancelled_at`: the instant of the first cancel request, which the cancel
 * answer carries. Later writes (the run's end, a second cancel) keep it.
 */
function keepFirstCancel(changes: ExecutionRowUpdate) {
  if (changes.cancelled_at === undefined || changes.cancelled_at === null) return changes;
  const at = changes.cancelled_at;
  return { ...changes, cancelled_at: sql<string>`coalesce(cancelled_at, ${at})` };
}

export async function requestCancel(db: Db, executionId: string, at: string): Promise<void> {
  await db
    .updateTable('executions')
    .set(keepFirstCancel({ cancel_requested: 1, cancelled_at: at, updated_at: at }))
    .where('execution_id', '=', executionId)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

export async function deleteExecution(db: Db, executionId: string): Promise<void> {
  await db.deleteFrom('executions').where('execution_id', '=', executionId).execute();
}

/** The sub-workflow run started by the parent's node run `callKey` (services/sub-workflows.ts), if any. */
export async function findChildOfCall(db: Db, callKey: string): Promise<ExecutionRow | undefined> {
  return db.selectFrom('executions').selectAll().where('parent_call_key', '=', callKey).executeTakeFirst();
}

/** Sub-workflow runs of `parentId` that have not ended. */
export async function findUnfinishedChildren(db: Db, parentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('executions')
    .select('execution_id')
    .where('parent_execution_id', '=', parentId)
    .where('status', 'in', ['queued', 'running'])
    .execute();
  return rows.map((row) => row.execution_id);
}

export const EXECUTION_SORT_COLUMNS = {
  start_time: 'queued_at',
  status: 'status',
  execution_time: 'execution_time_ms',
} as const;

export interface ExecutionListFilter {
  readonly workflowId: string;
  readonly status?: string;
  readonly triggerSource?: string;
  readonly includeTest: boolean;
  readonly sortBy: keyof typeof EXECUTION_SORT_COLUMNS;
  readonly sortOrder: 'asc' | 'desc';
}

export type ExecutionSummaryRow = Pick<
  ExecutionRow,
  | 'execution_id'
  | 'workflow_id'
  | 'status'
  | 'trigger_source'
  | 'test_mode'
  | 'queued_at'
  | 'start_time'
  | 'end_time'
  | 'execution_time_ms'
  | 'nodes_executed'
  | 'nodes_failed'
  | 'error_message'
  | 'error_node_id'
>;

export async function listExecutions(
  db: Db,
  filter: ExecutionListFilter,
  page: PageRequest,
): Promise<{ rows: ExecutionSummaryRow[]; total: number }> {
  let query = db.selectFrom('executions').where('workflow_id', '=', filter.workflowId);
  if (!filter.includeTest) query = query.where('test_mode', '=', 0);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.triggerSource) query = query.where('trigger_source', '=', filter.triggerSource);
  const [{ total }] = await query.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await query
    .select([
      'execution_id',
      'workflow_id',
      'status',
      'trigger_source',
      'test_mode',
      'queued_at',
      'start_time',
      'end_time',
      'execution_time_ms',
      'nodes_executed',
      'nodes_failed',
      'error_message',
      'error_node_id',
    ])
    .orderBy(EXECUTION_SORT_COLUMNS[filter.sortBy], filter.sortOrder)
    .orderBy('execution_id', filter.sortOrder)
    .limit(page.per_page)
    .offset(offsetOf(page))
    .execute();
  return { rows, total: Number(total) };
}
