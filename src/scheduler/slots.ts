/**
 * @module scheduler/slots
 * Pure slot arithmetic over croner: the next slot after a given one, the latest slot before
 * "now", and what a due schedule should do (fire its slot, catch up, or skip missed slots).
 * Slots always come from the cron expression, never from "now + interval", so nothing drifts.
 */
import { Cron } from 'croner';
import type { CATCH_UP_MODES } from '../nodes/trigger-schedule.ts';

/** What a schedule does about slots missed while nothing ran: the trigger node's `catch_up`. */
export type CatchUp = (typeof CATCH_UP_MODES)[number];

/** A slot later than this is "missed" (downtime), not merely late; catch-up rules apply to it. */
export const DEFAULT_MISFIRE_GRACE_MS = 30_000;

/**
 * A paused croner job: only used to compute times, never to run callbacks. Croner's default
 * (legacy) mode ORs day-of-month and day-of-week as Vixie cron does, which cron users expect.
 */
export function compileCron(cron: string, timezone: string): Cron {
  return new Cron(cron, { timezone, paused: true });
}

/** The first slot strictly after `after`, or null when the expression never fires again. */
export function slotAfter(job: Cron, after: Date): Date | null {
  return job.nextRun(after);
}

/**
 * The latest slot at or before `now`, given `due` (a slot <= now). Searches backwards from now
 * in doubling windows so a long outage of an every-second schedule does not walk every slot.
 */
export function latestSlotUpTo(job: Cron, due: Date, now: Date): Date {
  let start = due;
  for (let span = 1000; ; span *= 2) {
    const from = new Date(now.getTime() - span);
    if (from.getTime() <= due.getTime()) break;
    const candidate = job.nextRun(from);
    if (candidate && candidate.getTime() <= now.getTime()) {
      start = candidate;
      break;
    }
  }
  let latest = start;
  for (let next = job.nextRun(latest); next && next.getTime() <= now.getTime(); next = job.nextRun(next)) latest = next;
  return latest;
}

export interface FirePlan {
  /** The slot to fire now; null when catch-up `none` skips every missed slot. */
  readonly fire: Date | null;
  /** The schedule's next slot after this step; null when the cron never fires again. */
  readonly next: Date | null;
  /** True when slots were passed over without firing (an outage, or a process far behind). */
  readonly skippedSlots: boolean;
}

export interface DueSchedule {
  readonly due: Date;
  readonly catchUp: CatchUp;
}

/**
 * What to do with a schedule whose next slot `due` is <= now. A slot late by at most the grace
 * fires as usual, one slot per step, so a busy process never loses slots. Beyond the grace the
 * schedule missed slots: `latest` fires the most recent one once, `none` fires nothing except a
 * slot that is itself on time, and both continue at the first slot after the one considered.
 */
export function planDue(job: Cron, schedule: DueSchedule, now: Date, graceMs = DEFAULT_MISFIRE_GRACE_MS): FirePlan {
  const { due } = schedule;
  if (now.getTime() - due.getTime() <= graceMs) {
    return { fire: due, next: slotAfter(job, due), skippedSlots: false };
  }
  const latest = latestSlotUpTo(job, due, now);
  const onTime = now.getTime() - latest.getTime() <= graceMs;
  const fire = onTime || schedule.catchUp === 'latest' ? latest : null;
  return { fire, next: slotAfter(job, latest), skippedSlots: fire === null || latest.getTime() !== due.getTime() };
}
