/**
 * @module store/schedules-repository
 * Schedules and their fire log. The fire log's primary key (schedule_id, scheduled_for) is the
 * claim that makes a slot fire once across processes; `advanceSchedule` only moves a schedule
 * that still points at the slot its caller read, so two processes never both advance it.
 */
import type { Selectable, Updateable } from 'kysely';
import type { Db, ScheduleTable } from './database.ts';
import { offsetOf, type PageRequest } from './pagination.ts';

export type ScheduleRecord = Selectable<ScheduleTable>;
export type ScheduleChanges = Omit<Updateable<ScheduleTable>, 'schedule_id' | 'workflow_id' | 'node_id'>;

export async function insertSchedule(db: Db, schedule: ScheduleRecord): Promise<void> {
  await db.insertInto('schedules').values(schedule).execute();
}

export async function updateSchedule(db: Db, scheduleId: string, changes: ScheduleChanges): Promise<void> {
  await db.updateTable('schedules').set(changes).where('schedule_id', '=', scheduleId).execute();
}

/** Fire rows stay: they are the history of what ran, and pruneFires ages them out. */
export async function deleteSchedules(db: Db, scheduleIds: readonly string[]): Promise<void> {
  if (scheduleIds.length === 0) return;
  await db.deleteFrom('schedules').where('schedule_id', 'in', scheduleIds).execute();
}

export async function schedulesOfWorkflow(db: Db, workflowId: string): Promise<ScheduleRecord[]> {
  return db.selectFrom('schedules').selectAll().where('workflow_id', '=', workflowId).execute();
}

export async function findSchedule(db: Db, scheduleId: string): Promise<ScheduleRecord | undefined> {
  return db.selectFrom('schedules').selectAll().where('schedule_id', '=', scheduleId).executeTakeFirst();
}

export async function listSchedules(
  db: Db,
  workflowId: string,
  page: PageRequest,
): Promise<{ rows: ScheduleRecord[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('schedules')
      .selectAll()
      .where('workflow_id', '=', workflowId)
      .orderBy('node_id')
      .limit(page.per_page)
      .offset(offsetOf(page))
      .execute(),
    db
      .selectFrom('schedules')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('workflow_id', '=', workflowId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Schedules whose next slot is at or before `nowIso`, oldest first. */
export async function listDueSchedules(db: Db, nowIso: string, limit: number): Promise<ScheduleRecord[]> {
  return db
    .selectFrom('schedules')
    .selectAll()
    .where('next_run_at', 'is not', null)
    .where('next_run_at', '<=', nowIso)
    .orderBy('next_run_at')
    .limit(limit)
    .execute();
}

/** The earliest upcoming slot of any schedule, so the loop can sleep exactly until it. */
export async function earliestNextRun(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('schedules')
    .select((eb) => eb.fn.min('next_run_at').as('next'))
    .where('next_run_at', 'is not', null)
    .executeTakeFirst();
  return (row?.next as string | null | undefined) ?? null;
}

/**
 * Records the fire of one slot. False when the slot is already claimed (by this or another
 * process): INSERT … ON CONFLICT DO NOTHING reports that portably as zero inserted rows.
 */
export async function claimFire(db: Db, scheduleId: string, scheduledFor: string, firedAt: string): Promise<boolean> {
  const result = await db
    .insertInto('schedule_fires')
    .values({ schedule_id: scheduleId, scheduled_for: scheduledFor, fired_at: firedAt, execution_id: null })
    .onConflict((oc) => oc.columns(['schedule_id', 'scheduled_for']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function recordFireExecution(
  db: Db,
  scheduleId: string,
  scheduledFor: string,
  executionId: string,
): Promise<void> {
  await db
    .updateTable('schedule_fires')
    .set({ execution_id: executionId })
    .where('schedule_id', '=', scheduleId)
    .where('scheduled_for', '=', scheduledFor)
    .execute();
}

/**
 * Moves a schedule on only if its next_run_at is still `expectedNextRunAt` (compare-and-set):
 * false means another process already handled that slot.
 */
export async function advanceSchedule(
  db: Db,
  scheduleId: string,
  expectedNextRunAt: string,
  changes: ScheduleChanges,
): Promise<boolean> {
  const result = await db
    .updateTable('schedules')
    .set(changes)
    .where('schedule_id', '=', scheduleId)
    .where('next_run_at', '=', expectedNextRunAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Fire rows only matter while a slot can still be contended; old ones are history. */
export async function pruneFires(db: Db, firedBeforeIso: string): Promise<number> {
  const result = await db.deleteFrom('schedule_fires').where('fired_at', '<', firedBeforeIso).executeTakeFirst();
  return Number(result.numDeletedRows);
}
