import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createTestDatabase, openMigratedDatabase, type TestDatabase } from '../../test/helpers/database.ts';
import { localDay } from '../../test/helpers/local-time.ts';
import { AppError } from '../errors.ts';
import type { ExecutionStarter, StartExecutionInput } from '../services/execution-types.ts';
import type { DatabaseHandle } from '../store/connect.ts';
import { findSchedule, schedulesOfWorkflow } from '../store/schedules-repository.ts';
import { type ScheduleSpec, syncSchedules } from './registration.ts';
import { createScheduler, type Scheduler } from './scheduler.ts';

/** Records what the scheduler asked for; stores nothing, so the test needs no workflows. */
function fakeExecutions(refuse?: () => boolean) {
  const started: StartExecutionInput[] = [];
  let dispatched = 0;
  const starter: Pick<ExecutionStarter, 'prepare'> = {
    async prepare(_trx, input) {
      if (refuse?.()) throw new AppError('WORKFLOW_NOT_FOUND', 'gone');
      started.push(input);
      const started_ = {
        execution_id: randomUUID(),
        workflow_id: input.workflowId,
        workflow_version: 1,
        status: 'queued' as const,
        queued_at: '',
        start_time: null,
        execution_path: [],
      };
      return { started: started_, dispatch: () => void dispatched++ };
    },
  };
  return { starter, started, dispatched: () => dispatched };
}

function spec(cron: string, extra: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return { node_id: 'tick', cron, timezone: 'UTC', catch_up: 'latest', max_executions: null, ...extra };
}

describe('scheduler with an injected clock', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let clock: Date;
  const now = () => new Date(clock);

  before(async () => {
    database = await createTestDatabase();
    handle = await openMigratedDatabase(database);
  });
  after(async () => {
    await handle.close();
    await database.cleanup();
  });
  beforeEach(async () => {
    clock = new Date('2026-01-01T00:00:00Z');
    // Each test drives its own clock: schedules left by another would come due in it.
    await handle.db.deleteFrom('schedule_fires').execute();
    await handle.db.deleteFrom('schedules').execute();
  });

  async function register(workflowId: string, s: ScheduleSpec, at: string): Promise<string> {
    clock = new Date(at);
    await handle.db.transaction().execute((trx) => syncSchedules(trx, workflowId, 1, [s], now()));
    const [row] = await schedulesOfWorkflow(handle.db, workflowId);
    assert.ok(row);
    return row.schedule_id;
  }

  /** A punctual clock: jumps to each next slot (plus a little) and ticks, until `until`. */
  async function runPunctually(scheduler: Scheduler, scheduleId: string, until: string): Promise<string[]> {
    const fired: string[] = [];
    for (;;) {
      const next = (await findSchedule(handle.db, scheduleId))?.next_run_at;
      if (!next || next > until) return fired;
      clock = new Date(Date.parse(next) + 250);
      for (const result of await scheduler.tick())
        if (result.outcome === 'fired' && result.scheduled_for) fired.push(result.scheduled_for);
    }
  }

  const dstCases = [
    {
      zone: 'Europe/Berlin',
      day: '2026-03-29',
      from: '2026-03-27T12:00:00Z',
      until: '2026-03-31T12:00:00Z',
      local: '03:30',
    },
    {
      zone: 'Europe/Berlin',
      day: '2026-10-25',
      from: '2026-10-23T12:00:00Z',
      until: '2026-10-27T12:00:00Z',
      local: '02:30',
    },
    {
      zone: 'America/New_York',
      day: '2026-03-08',
      from: '2026-03-06T12:00:00Z',
      until: '2026-03-10T12:00:00Z',
      local: '03:30',
    },
    {
      zone: 'America/New_York',
      day: '2026-11-01',
      from: '2026-10-30T12:00:00Z',
      until: '2026-11-03T12:00:00Z',
      local: '02:30',
    },
  ];
  for (const c of dstCases) {
    it(`a 02:30 daily job in ${c.zone} runs exactly once each day around ${c.day}`, async () => {
      const executions = fakeExecutions();
      const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
      const workflowId = randomUUID();
      const id = await register(workflowId, spec('30 2 * * *', { timezone: c.zone }), c.from);
      const fired = await runPunctually(scheduler, id, c.until);
      const days = fired.map((f) => localDay(f, c.zone));
      assert.equal(days.length, 4, fired.join(', '));
      assert.equal(new Set(days).size, 4, `a day ran twice: ${fired.join(', ')}`);
      const transition = fired.find((f) => localDay(f, c.zone) === c.day) ?? '';
      const localTime = new Intl.DateTimeFormat('en-GB', {
        timeZone: c.zone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(transition));
      assert.equal(localTime, c.local);
      assert.equal(executions.started.length, 4);
      assert.equal(executions.dispatched(), 4);
      const row = await findSchedule(handle.db, id);
      assert.equal(row?.run_count, 4);
      assert.equal(row?.last_scheduled_for, fired.at(-1));
    });
  }

  it('a coarse clock (10-minute steps) across Berlin spring-forward still fires once per day', async () => {
    const executions = fakeExecutions();
    const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
    await register(randomUUID(), spec('30 2 * * *', { timezone: 'Europe/Berlin' }), '2026-03-27T12:00:00Z');
    const fired: string[] = [];
    for (let t = Date.parse('2026-03-27T12:00:00Z'); t <= Date.parse('2026-03-31T12:00:00Z'); t += 10 * 60_000) {
      clock = new Date(t);
      for (const r of await scheduler.tick()) if (r.outcome === 'fired' && r.scheduled_for) fired.push(r.scheduled_for);
    }
    assert.deepEqual(fired, [
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('starts each run with the schedule trigger data on its trigger node', async () => {
    const executions = fakeExecutions();
    const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
    const workflowId = randomUUID();
    const id = await register(workflowId, spec('*/5 * * * *'), '2026-01-01T00:01:00Z');
    clock = new Date('2026-01-01T00:05:00.300Z');
    const [result] = await scheduler.tick();
    assert.equal(result?.outcome, 'fired');
    assert.deepEqual(executions.started, [
      {
        workflowId,
        triggerSource: 'schedule',
        triggerNodeIds: ['tick'],
        triggerData: {
          schedule_id: id,
          scheduled_for: '2026-01-01T00:05:00.000Z',
          fired_at: '2026-01-01T00:05:00.300Z',
        },
      },
    ]);
    const row = await findSchedule(handle.db, id);
    assert.equal(row?.next_run_at, '2026-01-01T00:10:00.000Z');
    assert.equal(row?.last_run_at, '2026-01-01T00:05:00.300Z');
    assert.equal(row?.last_execution_id, result?.execution_id);
    const fire = await handle.db.selectFrom('schedule_fires').selectAll().where('schedule_id', '=', id).execute();
    assert.deepEqual(
      fire.map((f) => [f.scheduled_for, f.execution_id]),
      [['2026-01-01T00:05:00.000Z', result?.execution_id]],
    );
  });

  for (const [cron, from, until, expected] of [
    [
      '0 0 L * *',
      '2026-01-15T00:00:00Z',
      '2026-04-30T12:00:00Z',
      ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30'],
    ],
    [
      '0 8 * JAN,MAR SAT',
      '2026-01-01T00:00:00Z',
      '2026-01-31T00:00:00Z',
      ['2026-01-03', '2026-01-10', '2026-01-17', '2026-01-24'],
    ],
    [
      '@daily',
      '2026-02-26T12:00:00Z',
      '2026-03-02T12:00:00Z',
      ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'],
    ],
  ] as const) {
    it(`fires "${cron}" on the right days`, async () => {
      const executions = fakeExecutions();
      const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
      const id = await register(randomUUID(), spec(cron), from);
      const fired = await runPunctually(scheduler, id, until);
      assert.deepEqual(
        fired.map((f) => f.slice(0, 10)),
        expected,
      );
    });
  }

  it('retires a schedule after max_executions runs', async () => {
    const executions = fakeExecutions();
    const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
    const id = await register(randomUUID(), spec('* * * * *', { max_executions: 3 }), '2026-01-01T00:00:30Z');
    const fired = await runPunctually(scheduler, id, '2026-01-01T01:00:00Z');
    assert.deepEqual(fired, ['2026-01-01T00:01:00.000Z', '2026-01-01T00:02:00.000Z', '2026-01-01T00:03:00.000Z']);
    const row = await findSchedule(handle.db, id);
    assert.equal(row?.run_count, 3);
    assert.equal(row?.next_run_at, null);
    clock = new Date('2026-01-01T05:00:00Z');
    assert.deepEqual(await scheduler.tick(), []);
    assert.equal(executions.started.length, 3);
  });

  it('after a 3-hour outage, catch_up latest fires the most recent missed slot once, then continues', async () => {
    const executions = fakeExecutions();
    const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
    const id = await register(randomUUID(), spec('*/15 * * * *', { catch_up: 'latest' }), '2026-01-01T10:05:00Z');
    clock = new Date('2026-01-01T13:20:00Z');
    const results = await scheduler.tick();
    assert.deepEqual(
      results.map((r) => [r.outcome, r.scheduled_for]),
      [['fired', '2026-01-01T13:15:00.000Z']],
    );
    assert.equal((await findSchedule(handle.db, id))?.next_run_at, '2026-01-01T13:30:00.000Z');
    assert.deepEqual(await scheduler.tick(), []);
    clock = new Date('2026-01-01T13:30:01Z');
    assert.deepEqual(
      (await scheduler.tick()).map((r) => r.scheduled_for),
      ['2026-01-01T13:30:00.000Z'],
    );
    assert.equal(executions.started.length, 2);
  });

  it('after a 3-hour outage, catch_up none skips every missed slot and waits for the next one', async () => {
    const executions = fakeExecutions();
    const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
    const id = await register(randomUUID(), spec('*/15 * * * *', { catch_up: 'none' }), '2026-01-01T10:05:00Z');
    clock = new Date('2026-01-01T13:20:00Z');
    const results = await scheduler.tick();
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['skipped'],
    );
    assert.equal(executions.started.length, 0);
    const row = await findSchedule(handle.db, id);
    assert.equal(row?.next_run_at, '2026-01-01T13:30:00.000Z');
    assert.equal(row?.run_count, 0);
    clock = new Date('2026-01-01T13:30:01Z');
    assert.deepEqual(
      (await scheduler.tick()).map((r) => r.scheduled_for),
      ['2026-01-01T13:30:00.000Z'],
    );
  });

  it('a briefly late process fires every late slot (within the grace), in order', async () => {
    const executions = fakeExecutions();
    const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
    await register(randomUUID(), spec('* * * * * *', { catch_up: 'none' }), '2026-01-01T00:00:00.500Z');
    clock = new Date('2026-01-01T00:00:05.100Z');
    const fired = (await scheduler.tick()).map((r) => r.scheduled_for?.slice(17, 19));
    assert.deepEqual(fired, ['01', '02', '03', '04', '05']);
  });

  it('two schedulers ticking at once fire each slot once', async () => {
    const a = fakeExecutions();
    const b = fakeExecutions();
    const one = createScheduler({ db: handle.db, executions: a.starter, clock: { now } });
    const two = createScheduler({ db: handle.db, executions: b.starter, clock: { now } });
    const id = await register(randomUUID(), spec('* * * * * *'), '2026-01-01T00:00:00.500Z');
    const fired: string[] = [];
    for (let second = 1; second <= 20; second++) {
      clock = new Date(Date.parse('2026-01-01T00:00:00Z') + second * 1000 + 100);
      const results = (await Promise.all([one.tick(), two.tick()])).flat();
      for (const r of results) if (r.outcome === 'fired' && r.scheduled_for) fired.push(r.scheduled_for);
    }
    assert.equal(fired.length, 20);
    assert.equal(new Set(fired).size, 20);
    assert.equal(a.started.length + b.started.length, 20);
    assert.equal((await findSchedule(handle.db, id))?.run_count, 20);
  });

  it('skips a slot the workflow refuses instead of retrying it forever', async () => {
    let refuse = true;
    const executions = fakeExecutions(() => refuse);
    const scheduler = createScheduler({ db: handle.db, executions: executions.starter, clock: { now } });
    const id = await register(randomUUID(), spec('*/5 * * * *'), '2026-01-01T00:01:00Z');
    clock = new Date('2026-01-01T00:05:01Z');
    assert.deepEqual(
      (await scheduler.tick()).map((r) => r.outcome),
      ['failed'],
    );
    const row = await findSchedule(handle.db, id);
    assert.equal(row?.next_run_at, '2026-01-01T00:10:00.000Z');
    assert.equal(row?.run_count, 0);
    const fires = await handle.db.selectFrom('schedule_fires').selectAll().where('schedule_id', '=', id).execute();
    assert.equal(fires.length, 0, 'the claim rolls back with the refused execution');
    refuse = false;
    clock = new Date('2026-01-01T00:10:01Z');
    assert.deepEqual(
      (await scheduler.tick()).map((r) => r.outcome),
      ['fired'],
    );
  });
});
