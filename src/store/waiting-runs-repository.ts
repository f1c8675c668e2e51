/**
 * @module store/waiting-runs-repository
 * What the runners ask of stored runs to queue and start them in order: a run's keys without its
 * request (which may be large), the unfinished runs a start-up recovers, the earlier queued run
 * and the load of a capped workflow (FIFO across workers), test runs a restart abandoned, and the
 * stale runs the shared queue's sweep gives a job back. Apart from the row's own writes
 * (executions-repository.ts) because only the queues read this way.
 */
import { sql } from 'kysely';
import type { Db, ExecutionRow } from './database.ts';

/** What the runner needs to queue a run, without its request (which may be large). */
export type ExecutionKeys = Pick<
  ExecutionRow,
  'execution_id' | 'status' | 'workflow_id' | 'workflow_version' | 'entity_id' | 'test_mode' | 'queued_at'
>;
const KEY_COLUMNS = [
  'execution_id',
  'status',
  'workflow_id',
  'workflow_version',
  'entity_id',
  'test_mode',
  'queued_at',
] as const;

export async function findUnfinishedExecutions(db: Db): Promise<ExecutionKeys[]> {
  return db
    .selectFrom('executions')
    .select(KEY_COLUMNS)
    .where('status', 'in', ['queued', 'running'])
    .where('test_mode', '=', 0)
    .orderBy('queued_at')
    .execute();
}

export async function findExecutionKeys(db: Db, executionId: string): Promise<ExecutionKeys | undefined> {
  return db.selectFrom('executions').select(KEY_COLUMNS).where('execution_id', '=', executionId).executeTakeFirst();
}

/** A queued run of the same workflow that came before `run` (same instant: the smaller id), if any. */
export async function findEarlierQueued(
  db: Db,
  run: Pick<ExecutionKeys, 'execution_id' | 'workflow_id' | 'queued_at'>,
): Promise<string | undefined> {
  const found = await db
    .selectFrom('executions')
    .select('execution_id')
    .where('workflow_id', '=', run.workflow_id)
    .where('status', '=', 'queued')
    .where('test_mode', '=', 0)
    .where((eb) =>
      eb.or([
        eb('queued_at', '<', run.queued_at),
        eb.and([eb('queued_at', '=', run.queued_at), eb('execution_id', '<', run.execution_id)]),
      ]),
    )
    .orderBy('queued_at')
    .limit(1)
    .executeTakeFirst();
  return found?.execution_id;
}

/**
 * How much of `run`'s workflow is taken, in one snapshot: its running runs, and its queued runs
 * that came before `run` (which start first).
 */
export async function findWorkflowLoad(
  db: Db,
  run: Pick<ExecutionKeys, 'execution_id' | 'workflow_id' | 'queued_at'>,
): Promise<{ running: number; earlier: number }> {
  const earlier = sql<boolean>`status = 'queued' and (queued_at < ${run.queued_at} or (queued_at = ${run.queued_at} and execution_id < ${run.execution_id}))`;
  const row = await db
    .selectFrom('executions')
    .select([
      sql<number | string>`coalesce(sum(case when status = 'running' then 1 else 0 end), 0)`.as('running'),
      sql<number | string>`coalesce(sum(case when ${earlier} then 1 else 0 end), 0)`.as('earlier'),
    ])
    .where('workflow_id', '=', run.workflow_id)
    .where('test_mode', '=', 0)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirstOrThrow();
  return { running: Number(row.running), earlier: Number(row.earlier) };
}

/**
 * Test runs a previous process left unfinished end `failed`: nobody waits for them any more and
 * they are never resumed. Answers how many.
 */
export async function failUnfinishedTestRuns(db: Db, at: string, message: string): Promise<number> {
  const result = await db
    .updateTable('executions')
    .set({ status: 'failed', end_time: at, updated_at: at, error_message: message })
    .where('status', 'in', ['queued', 'running'])
    .where('test_mode', '=', 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Unfinished runs nothing has written for since `before`, oldest first, for the shared queue's
 * sweep: a run stranded without a job (its job gave up on a database outage) is among them. A
 * running sub-workflow run is left out: one its parent waits for runs inside the parent's run,
 * with no job of its own, and a job would take it from there.
 */
export async function findStaleExecutions(db: Db, before: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('executions')
    .select('execution_id')
    .where('status', 'in', ['queued', 'running'])
    .where('test_mode', '=', 0)
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb('parent_execution_id', 'is', null)]))
    .orderBy('updated_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.execution_id);
}
