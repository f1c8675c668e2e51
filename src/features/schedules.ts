/**
 * @module features/schedules
 * The schedules feature for the composition root: the scheduler loop (in processes that run
 * background work), registration on publish and archive, and the schedules route.
 */
import type { AppContext, AppModule } from '../app-module.ts';
import { route } from '../http/route.ts';
import { scheduleRoutes } from '../http/routes/schedules.ts';
import { scheduleRegistrar } from '../scheduler/registration.ts';
import { type Clock, createScheduler, systemClock } from '../scheduler/scheduler.ts';
import { createScheduleService } from '../services/schedules.ts';

export function schedulesFeature(context: AppContext, clock: Clock = systemClock): AppModule {
  const { database, lifecycle, logger } = context;
  const scheduler = createScheduler({ db: database.db, executions: context.executions, logger, clock });
  const service = createScheduleService(database.db, scheduler);
  lifecycle.subscribe(
    scheduleRegistrar(
      () => clock.now(),
      () => scheduler.wake(),
    ),
  );
  return {
    name: 'schedules',
    routes: [route(scheduleRoutes, { schedules: service })],
    async start() {
      if (context.background) scheduler.start();
    },
    async stop() {
      await scheduler.stop();
    },
  };
}
