/**
 * @module scheduler/fire-slot
 * Handles one due schedule in one transaction: claim the slot in the fire log (unique key),
 * move the schedule on with a compare-and-set on next_run_at, and store the execution, all
 * committed together; the execution is handed to the queue only after commit. A process that
 * loses either race rolls back and does nothing, so each slot fires once however many run.
 */
import { isAppError } from '../errors.ts';
import type { ExecutionStarter, PreparedExecution } from '../services/execution-types.ts';
import type { Db } from '../store/database.ts';
import {
  advanceSchedule,
  claimFire,
  recordFireExecution,
  type ScheduleChanges,
  type ScheduleRecord,
} from '../store/schedules-repository.ts';
import { type CatchUp, compileCron, type FirePlan, planDue } from './slots.ts';

export const FIRE_OUTCOMES = ['fired', 'skipped', 'taken', 'failed'] as const;
/** fired: an execution started; skipped: missed slots passed over; taken: another process had it. */
export type FireOutcome = (typeof FIRE_OUTCOMES)[number];

export interface FireResult {
  readonly outcome: FireOutcome;
  readonly schedule_id: string;
  readonly scheduled_for: string | null;
  readonly execution_id?: string;
  readonly error?: string;
}

export interface FireDeps {
  readonly db: Db;
  readonly executions: Pick<ExecutionStarter, 'prepare'>;
  readonly graceMs: number;
}

/** Thrown inside the transaction to roll it back when another process moved the schedule first. */
class LostRace extends Error {}

function retiredAfter(schedule: ScheduleRecord, runCount: number, next: Date | null): string | null {
  if (schedule.max_executions !== null && runCount >= schedule.max_executions) return null;
  return next?.toISOString() ?? null;
}

function planOf(schedule: ScheduleRecord, due: string, now: Date, graceMs: number): FirePlan {
  const job = compileCron(schedule.cron, schedule.timezone);
  return planDue(job, { due: new Date(due), catchUp: schedule.catch_up as CatchUp }, now, graceMs);
}

/** Moves the schedule past slots it will not fire (catch-up `none`, a taken or a refused slot). */
async function passOver(db: Db, schedule: ScheduleRecord, due: string, next: Date | null, now: Date): Promise<boolean> {
  return advanceSchedule(db, schedule.schedule_id, due, {
    next_run_at: retiredAfter(schedule, schedule.run_count, next),
    updated_at: now.toISOString(),
  });
}

export async function fireDueSchedule(deps: FireDeps, schedule: ScheduleRecord, now: Date): Promise<FireResult> {
  const due = schedule.next_run_at;
  const base = { schedule_id: schedule.schedule_id };
  if (due === null) return { ...base, outcome: 'taken', scheduled_for: null };
  let plan: FirePlan;
  try {
    plan = planOf(schedule, due, now, deps.graceMs);
  } catch (error) {
    // An expression croner no longer accepts cannot fire: retire it rather than retry forever.
    await passOver(deps.db, schedule, due, null, now);
    return { ...base, outcome: 'failed', scheduled_for: due, error: (error as Error).message };
  }
  const { fire, next } = plan;
  if (fire === null) {
    const moved = await passOver(deps.db, schedule, due, next, now);
    return { ...base, outcome: moved ? 'skipped' : 'taken', scheduled_for: null };
  }

  const scheduledFor = fire.toISOString();
  const firedAt = now.toISOString();
  let prepared: PreparedExecution | undefined;
  try {
    const claimed = await deps.db.transaction().execute(async (trx) => {
      if (!(await claimFire(trx, schedule.schedule_id, scheduledFor, firedAt))) {
        // Already fired (by another process): never let that leave the schedule stuck on it.
        await passOver(trx, schedule, due, next, now);
        return false;
      }
      const runCount = schedule.run_count + 1;
      const changes: ScheduleChanges = {
        next_run_at: retiredAfter(schedule, runCount, next),
        last_run_at: firedAt,
        last_scheduled_for: scheduledFor,
        run_count: runCount,
        updated_at: firedAt,
      };
      if (!(await advanceSchedule(trx, schedule.schedule_id, due, changes))) throw new LostRace();
      prepared = await deps.executions.prepare(trx, {
        workflowId: schedule.workflow_id,
        triggerSource: 'schedule',
        triggerNodeIds: [schedule.node_id],
        triggerData: { schedule_id: schedule.schedule_id, scheduled_for: scheduledFor, fired_at: firedAt },
      });
      const executionId = prepared.started.execution_id;
      await recordFireExecution(trx, schedule.schedule_id, scheduledFor, executionId);
      await trx
        .updateTable('schedules')
        .set({ last_execution_id: executionId })
        .where('schedule_id', '=', schedule.schedule_id)
        .execute();
      return true;
    });
    if (!claimed || !prepared) return { ...base, outcome: 'taken', scheduled_for: scheduledFor };
  } catch (error) {
    if (error instanceof LostRace) return { ...base, outcome: 'taken', scheduled_for: scheduledFor };
    // The workflow refuses this run (archived meanwhile, trigger gone): skip the slot, not retry it forever.
    if (isAppError(error)) await passOver(deps.db, schedule, due, next, now);
    return { ...base, outcome: 'failed', scheduled_for: scheduledFor, error: (error as Error).message };
  }
  prepared.dispatch();
  return { ...base, outcome: 'fired', scheduled_for: scheduledFor, execution_id: prepared.started.execution_id };
}
