import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localDay, localTime } from '../../test/helpers/local-time.ts';
import { compileCron, latestSlotUpTo, planDue, slotAfter } from './slots.ts';

/** Slots from `from` (exclusive) up to `until` (inclusive), as ISO strings. */
function slotsBetween(cron: string, timezone: string, from: string, until: string): string[] {
  const job = compileCron(cron, timezone);
  const out: string[] = [];
  for (let at = slotAfter(job, new Date(from)); at && at <= new Date(until); at = slotAfter(job, at))
    out.push(at.toISOString());
  return out;
}

describe('slots across DST transitions: a 02:30 daily job runs exactly once each local day', () => {
  const cases = [
    { zone: 'Europe/Berlin', day: '2026-03-29', from: '2026-03-27T12:00:00Z', until: '2026-03-31T12:00:00Z' },
    { zone: 'Europe/Berlin', day: '2026-10-25', from: '2026-10-23T12:00:00Z', until: '2026-10-27T12:00:00Z' },
    { zone: 'America/New_York', day: '2026-03-08', from: '2026-03-06T12:00:00Z', until: '2026-03-10T12:00:00Z' },
    { zone: 'America/New_York', day: '2026-11-01', from: '2026-10-30T12:00:00Z', until: '2026-11-03T12:00:00Z' },
  ];
  for (const c of cases) {
    it(`${c.zone} around ${c.day}`, () => {
      const slots = slotsBetween('30 2 * * *', c.zone, c.from, c.until);
      const days = slots.map((s) => localDay(s, c.zone));
      assert.equal(new Set(days).size, days.length, `a day ran twice: ${slots.join(', ')}`);
      assert.deepEqual(days.filter((d) => d === c.day).length, 1, `transition day ${c.day}: ${slots.join(', ')}`);
      assert.equal(slots.length, 4, slots.join(', '));
      for (const slot of slots) {
        if (localDay(slot, c.zone) !== c.day) assert.equal(localTime(slot, c.zone), '02:30');
      }
    });
  }

  it('fires the nonexistent 02:30 of spring-forward day at 03:30 local time', () => {
    const [slot] = slotsBetween('30 2 * * *', 'Europe/Berlin', '2026-03-29T00:00:00Z', '2026-03-29T23:00:00Z');
    assert.equal(slot, '2026-03-29T01:30:00.000Z');
    assert.equal(localTime(slot ?? '', 'Europe/Berlin'), '03:30');
  });

  it('fires the repeated 01:30 of New York fall-back day once', () => {
    const slots = slotsBetween('30 1 * * *', 'America/New_York', '2026-11-01T00:00:00Z', '2026-11-01T23:00:00Z');
    assert.deepEqual(slots, ['2026-11-01T05:30:00.000Z']);
  });

  it('computes in the node timezone, not in UTC', () => {
    assert.deepEqual(slotsBetween('0 9 * * *', 'America/New_York', '2026-01-05T00:00:00Z', '2026-01-05T23:59:59Z'), [
      '2026-01-05T14:00:00.000Z',
    ]);
    assert.deepEqual(slotsBetween('0 9 * * *', 'UTC', '2026-01-05T00:00:00Z', '2026-01-05T23:59:59Z'), [
      '2026-01-05T09:00:00.000Z',
    ]);
  });
});

describe('cron syntax', () => {
  it('L is the last day of the month', () => {
    assert.deepEqual(slotsBetween('0 0 L * *', 'UTC', '2026-01-01T00:00:00Z', '2026-04-30T23:00:00Z'), [
      '2026-01-31T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
      '2026-04-30T00:00:00.000Z',
    ]);
  });

  it('month and weekday names', () => {
    assert.deepEqual(slotsBetween('0 12 1 JAN,JUL *', 'UTC', '2026-01-01T00:00:00Z', '2027-01-02T00:00:00Z'), [
      '2026-01-01T12:00:00.000Z',
      '2026-07-01T12:00:00.000Z',
      '2027-01-01T12:00:00.000Z',
    ]);
    // 2026-01-01 is a Thursday.
    assert.deepEqual(slotsBetween('0 9 * * MON-FRI', 'UTC', '2026-01-01T00:00:00Z', '2026-01-06T00:00:00Z'), [
      '2026-01-01T09:00:00.000Z',
      '2026-01-02T09:00:00.000Z',
      '2026-01-05T09:00:00.000Z',
    ]);
  });

  it('@daily and @hourly nicknames, in the timezone', () => {
    assert.deepEqual(slotsBetween('@daily', 'Europe/Berlin', '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z'), [
      '2026-01-01T23:00:00.000Z',
      '2026-01-02T23:00:00.000Z',
    ]);
    assert.equal(slotsBetween('@hourly', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T05:00:00Z').length, 5);
  });

  it('six fields: seconds first', () => {
    assert.deepEqual(slotsBetween('*/20 * * * * *', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z'), [
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:00:40.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
  });

  it('the next slot is strictly after the given one', () => {
    const job = compileCron('* * * * * *', 'UTC');
    assert.equal(slotAfter(job, new Date('2026-01-01T00:00:01.000Z'))?.toISOString(), '2026-01-01T00:00:02.000Z');
    assert.equal(slotAfter(job, new Date('2026-01-01T00:00:01.400Z'))?.toISOString(), '2026-01-01T00:00:02.000Z');
  });
});

describe('planDue', () => {
  const hourly = compileCron('0 * * * *', 'UTC');
  const due = new Date('2026-01-01T10:00:00Z');

  it('fires a slot that is late by less than the grace and continues at the next slot', () => {
    const plan = planDue(hourly, { due, catchUp: 'none' }, new Date('2026-01-01T10:00:05Z'));
    assert.equal(plan.fire?.toISOString(), '2026-01-01T10:00:00.000Z');
    assert.equal(plan.next?.toISOString(), '2026-01-01T11:00:00.000Z');
    assert.equal(plan.skippedSlots, false);
  });

  it('after a 3-hour outage, latest fires only the most recent missed slot', () => {
    const plan = planDue(hourly, { due, catchUp: 'latest' }, new Date('2026-01-01T13:20:00Z'));
    assert.equal(plan.fire?.toISOString(), '2026-01-01T13:00:00.000Z');
    assert.equal(plan.next?.toISOString(), '2026-01-01T14:00:00.000Z');
    assert.equal(plan.skippedSlots, true);
  });

  it('after a 3-hour outage, none fires nothing and skips to the next future slot', () => {
    const plan = planDue(hourly, { due, catchUp: 'none' }, new Date('2026-01-01T13:20:00Z'));
    assert.equal(plan.fire, null);
    assert.equal(plan.next?.toISOString(), '2026-01-01T14:00:00.000Z');
  });

  it('none still fires a slot that is itself on time after an outage', () => {
    const plan = planDue(hourly, { due, catchUp: 'none' }, new Date('2026-01-01T13:00:10Z'));
    assert.equal(plan.fire?.toISOString(), '2026-01-01T13:00:00.000Z');
    assert.equal(plan.next?.toISOString(), '2026-01-01T14:00:00.000Z');
  });

  it('finds the latest slot of an every-second schedule after a long outage without walking every slot', () => {
    const job = compileCron('* * * * * *', 'UTC');
    const latest = latestSlotUpTo(job, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-03T07:45:12.300Z'));
    assert.equal(latest.toISOString(), '2026-01-03T07:45:12.000Z');
  });

  it('latest slot of a sparse schedule is the due slot itself when nothing came after it', () => {
    const daily = compileCron('30 2 * * *', 'UTC');
    const slot = new Date('2026-01-01T02:30:00Z');
    assert.equal(latestSlotUpTo(daily, slot, new Date('2026-01-01T20:00:00Z')).toISOString(), slot.toISOString());
  });
});
