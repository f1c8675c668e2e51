/**
 * @module services/schedules
 * Reading schedules: a workflow's schedules as the REST door lists them. The feature that runs
 * the loop and registers schedules is features/schedules.ts.
 */
import type { Scheduler } from '../scheduler/scheduler.ts';
import type { Db } from '../store/database.ts';
import { type PageRequest, type Pagination, paginationOf } from '../store/pagination.ts';
import { listSchedules, type ScheduleRecord } from '../store/schedules-repository.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';

/** A schedule as the API shows it (snake_case wire names). */
export interface ScheduleView {
  readonly schedule_id: string;
  readonly workflow_id: string;
  readonly node_id: string;
  readonly cron: string;
  readonly timezone: string;
  readonly catch_up: string;
  readonly max_executions: number | null;
  readonly workflow_version: number;
  /** Null once retired (max_executions reached, or the cron never fires again). */
  readonly next_run_at: string | null;
  readonly last_run_at: string | null;
  readonly last_scheduled_for: string | null;
  readonly run_count: number;
  readonly last_execution_id: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export function scheduleView(row: ScheduleRecord): ScheduleView {
  return {
    ...row,
    run_count: Number(row.run_count),
    max_executions: row.max_executions === null ? null : Number(row.max_executions),
  };
}

export interface ScheduleService {
  list(workflow: WorkflowRecord, page: PageRequest): Promise<{ rows: ScheduleView[]; pagination: Pagination }>;
  readonly scheduler: Scheduler;
}

export function createScheduleService(db: Db, scheduler: Scheduler): ScheduleService {
  return {
    scheduler,
    async list(workflow, page) {
      const { rows, total } = await listSchedules(db, workflow.workflow_id, page);
      return { rows: rows.map(scheduleView), pagination: paginationOf(page, total) };
    },
  };
}
