/**
 * @module services/schedules
 * The schedules feature: registers schedules on publish and removes them on archive (inside
 * those transactions), runs the scheduler loop in background processes, and lists a workflow's
 * schedules for the REST door. Exports the service as `services.get('schedules')`.
 */
import type { AppContext, AppModule } from '../app-module.ts';
import { scheduleRoutes } from '../http/routes/schedules.ts';
import { scheduleRegistrar } from '../scheduler/registration.ts';
import { type Clock, createScheduler, type Scheduler, systemClock } from '../scheduler/scheduler.ts';
import type { Db } from '../store/database.ts';
import { type PageRequest, type Pagination, paginationOf } from '../store/pagination.ts';
import { listSchedules, type ScheduleRecord } from '../store/schedules-repository.ts';
import type { WorkflowRecord } from '../store/workflows-repository.ts';

export const SCHEDULES_SERVICE = 'schedules';

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

export function schedulesFeature(context: AppContext, clock: Clock = systemClock): AppModule {
  const { database, lifecycle, logger } = context;
  const scheduler = createScheduler({ db: database.db, executions: context.executions, logger, clock });
  const service = createScheduleService(database.db, scheduler);
  context.services.set(SCHEDULES_SERVICE, service);
  lifecycle.subscribe(
    scheduleRegistrar(
      () => clock.now(),
      () => scheduler.wake(),
    ),
  );
  return {
    name: 'schedules',
    routes: [{ plugin: scheduleRoutes as never, options: { schedules: service } }],
    async start() {
      if (context.background) scheduler.start();
    },
    async stop() {
      await scheduler.stop();
    },
  };
}
