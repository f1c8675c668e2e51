import { describe, expect, it } from 'vitest';
import { describeFireTimes, nextFireTimes } from './cron-times.ts';

describe('nextFireTimes', () => {
  it('keeps a Berlin 18:00 schedule at 18:00 local across the spring change (UTC moves by an hour)', () => {
    const times = nextFireTimes('0 18 * * *', 'Europe/Berlin', 4, new Date('2026-03-27T12:00:00Z'));
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-03-27T17:00:00.000Z',
      '2026-03-28T17:00:00.000Z',
      '2026-03-29T16:00:00.000Z',
      '2026-03-30T16:00:00.000Z',
    ]);
  });

  it('fires a 02:30 job once on the spring-forward day', () => {
    const times = nextFireTimes('30 2 * * *', 'Europe/Berlin', 3, new Date('2026-03-28T12:00:00Z'));
    expect(times).toHaveLength(3);
    expect(new Set(times.map((t) => t.toISOString().slice(0, 10))).size).toBe(3);
  });
});

describe('describeFireTimes', () => {
  it('shows each time in the schedule zone and the viewer zone', () => {
    const times = describeFireTimes(
      '0 18 * * *',
      'Europe/Berlin',
      2,
      new Date('2026-03-28T12:00:00Z'),
      'America/New_York',
    );
    expect(Array.isArray(times)).toBe(true);
    const [first, second] = times as Exclude<typeof times, { error: string }>;
    expect(first.inZone).toBe('Sat, 28 Mar 2026, 18:00 CET');
    expect(second.inZone).toBe('Sun, 29 Mar 2026, 18:00 CEST');
    expect(first.local).toBe('Sat, 28 Mar 2026, 13:00 GMT-4');
    expect(second.local).toBe('Sun, 29 Mar 2026, 12:00 GMT-4');
  });

  it('answers an error for an invalid cron', () => {
    expect(describeFireTimes('not a cron', 'UTC', 5, new Date())).toHaveProperty('error');
  });
});
