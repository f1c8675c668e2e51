/**
 * @module scheduler/scheduler
 * The loop every `serve` process runs: each tick fires the due schedules (see fire-slot.ts),
 * then sleeps until the earliest next slot or the poll interval, whichever comes first, so other
 * processes' publishes are seen within one poll. The clock is injected and `tick()` is public so
 * tests can drive DST days and outages instantly.
 */
import type { Logger } from 'pino';
import type { ExecutionStarter } from '../services/execution-types.ts';
import type { Db } from '../store/database.ts';
import { earliestNextRun, listDueSchedules, pruneFires } from '../store/schedules-repository.ts';
import { type FireResult, fireDueSchedule } from './fire-slot.ts';
import { DEFAULT_MISFIRE_GRACE_MS } from './slots.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface SchedulerOptions {
  readonly db: Db;
  readonly executions: Pick<ExecutionStarter, 'prepare'>;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Longest sleep between ticks (ms); bounds how late another process's new schedule is seen. */
  readonly pollIntervalMs?: number;
  /** A slot later than this is missed (downtime) and follows the schedule's catch_up. */
  readonly misfireGraceMs?: number;
  readonly batchSize?: number;
}

export interface Scheduler {
  /** Fires everything due now (repeating while slots keep coming due); answers what it did. */
  tick(): Promise<FireResult[]>;
  start(): void;
  /** Tick soon: a publish or archive changed the schedules. */
  wake(): void;
  stop(): Promise<void>;
}

const FIRE_RETENTION_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
/** Bounds one tick: a process far behind on many every-second schedules still yields. */
const MAX_PASSES_PER_TICK = 100;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { db, logger } = options;
  const clock = options.clock ?? systemClock;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  const deps = { db, executions: options.executions, graceMs: options.misfireGraceMs ?? DEFAULT_MISFIRE_GRACE_MS };
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let wakeRequested = false;
  let lastPrune = 0;

  async function tick(): Promise<FireResult[]> {
    const results: FireResult[] = [];
    for (let pass = 0; pass < MAX_PASSES_PER_TICK; pass++) {
      const now = clock.now();
      const due = await listDueSchedules(db, now.toISOString(), batchSize);
      if (due.length === 0) break;
      for (const schedule of due) {
        const result = await fireDueSchedule(deps, schedule, now);
        results.push(result);
        if (result.outcome === 'failed') {
          logger?.error(
            { schedule_id: result.schedule_id, scheduled_for: result.scheduled_for, err: result.error },
            'schedule fire failed',
          );
        } else if (result.outcome === 'skipped') {
          logger?.info({ schedule_id: result.schedule_id }, 'missed schedule slots skipped (catch_up none)');
        }
      }
      // A failed schedule may still be due: leave it to the next tick rather than spin on it.
      if (results.slice(-due.length).some((r) => r.outcome === 'failed')) break;
    }
    await pruneOld(clock.now());
    return results;
  }

  async function pruneOld(now: Date): Promise<void> {
    if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now.getTime();
    await pruneFires(db, new Date(now.getTime() - FIRE_RETENTION_MS).toISOString());
  }

  async function delayUntilNext(): Promise<number> {
    const next = await earliestNextRun(db);
    if (next === null) return pollIntervalMs;
    return Math.max(0, Math.min(pollIntervalMs, Date.parse(next) - clock.now().getTime()));
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(runOnce, delayMs);
    // The HTTP server keeps `serve` alive; an app a test forgot to close must not hang the runner.
    timer.unref();
  }

  function runOnce(): void {
    timer = undefined;
    wakeRequested = false;
    current = (async () => {
      let delay = pollIntervalMs;
      try {
        await tick();
        if (running) delay = await delayUntilNext();
      } catch (error) {
        logger?.error({ err: error }, 'scheduler tick failed');
      }
      current = undefined;
      schedule(wakeRequested ? 0 : delay);
    })();
  }

  return {
    tick,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    wake() {
      if (!running) return;
      if (current) wakeRequested = true;
      else schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}
