/**
 * @module panels/cron-times
 * The next fire times of a schedule, computed with the scheduler's own slot arithmetic
 * (src/scheduler/slots.ts over croner), shown in the schedule's time zone and the viewer's.
 */
import { compileCron, slotAfter } from '../../../src/scheduler/slots.ts';

export interface FireTime {
  readonly at: Date;
  /** In the schedule's time zone, with its offset (e.g. `Sun 29 Mar 2026, 03:30 GMT+2`). */
  readonly inZone: string;
  /** In the viewer's time zone. */
  readonly local: string;
}

export function nextFireTimes(cron: string, timeZone: string, count: number, from: Date): Date[] {
  const job = compileCron(cron, timeZone);
  const out: Date[] = [];
  for (let at = slotAfter(job, from); at && out.length < count; at = slotAfter(job, at)) out.push(at);
  return out;
}

export function formatInZone(at: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
    timeZoneName: 'short',
  }).format(at);
}

/** `viewerZone` undefined: the browser's own. An invalid cron or zone answers an error message. */
export function describeFireTimes(
  cron: string,
  timeZone: string,
  count: number,
  from: Date,
  viewerZone?: string,
): FireTime[] | { readonly error: string } {
  try {
    return nextFireTimes(cron, timeZone, count, from).map((at) => ({
      at,
      inZone: formatInZone(at, timeZone),
      local: formatInZone(at, viewerZone),
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
}
