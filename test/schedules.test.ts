/**
 * Schedules through the whole app on a real database and the real clock: publish registers
 * trigger_schedule nodes, the list route shows them, an every-second schedule starts runs with
 * the schedule trigger data, and archiving stops it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { until as poll } from './helpers/polling.ts';
import { type Envelope, publishWorkflow } from './helpers/workflows.ts';

interface ScheduleView {
  schedule_id: string;
  node_id: string;
  cron: string;
  timezone: string;
  catch_up: string;
  max_executions: number | null;
  next_run_at: string | null;
  last_run_at: string | null;
  run_count: number;
  last_execution_id: string | null;
}

function scheduledWorkflow(schedules: Record<string, Record<string, unknown>>) {
  const nodes: Record<string, unknown> = {
    done: {
      node_type: 'flow_end',
      config: {
        final_output: { slot: '{{ scheduled_for }}', schedule: '{{ schedule_id }}', fired: '{{ trigger.fired_at }}' },
      },
    },
  };
  const connections: unknown[] = [];
  for (const [id, config] of Object.entries(schedules)) {
    nodes[id] = { node_type: 'trigger_schedule', config };
    connections.push({ from_node_id: id, from_port_name: 'output', to_node_id: 'done', to_port_name: 'input' });
  }
  return { name: 'Scheduled', entity_id: ENTITY_ID, nodes, connections };
}

/** Schedules fire on the real clock: probes every 100 ms for up to 15 s. */
const until = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
  poll(what, probe, { timeoutMs: 15_000, intervalMs: 100, attempts: Number.POSITIVE_INFINITY });

describe('schedules', () => {
  let t: TestApp;
  let owner: string;

  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: '42', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  const createAndPublish = (body: Record<string, unknown>) => publishWorkflow(t, owner, body);

  async function list(id: string, query = '') {
    const response = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/schedules${query}`, token: owner });
    assert.equal(response.statusCode, 200, response.body);
    return json<Envelope<ScheduleView[]>>(response);
  }

  it('publish registers each trigger_schedule node; the list shows them, paginated', async () => {
    const id = await createAndPublish(
      scheduledWorkflow({
        nightly: { cron: '30 2 * * *', timezone: 'Europe/Berlin', catch_up: 'none' },
        yearly: { cron: '0 0 1 JAN *', max_executions: 3 },
      }),
    );
    const all = await list(id);
    assert.equal(all.success, true);
    assert.deepEqual(all.meta?.pagination, {
      page: 1,
      per_page: 20,
      total: 2,
      total_pages: 1,
      has_next: false,
      has_prev: false,
    });
    const [nightly, yearly] = all.data;
    assert.equal(nightly?.node_id, 'nightly');
    assert.equal(nightly?.cron, '30 2 * * *');
    assert.equal(nightly?.timezone, 'Europe/Berlin');
    assert.equal(nightly?.catch_up, 'none');
    assert.equal(nightly?.run_count, 0);
    assert.equal(nightly?.last_run_at, null);
    assert.equal(nightly?.last_execution_id, null);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    assert.ok(nightly?.next_run_at && Date.parse(nightly.next_run_at) > Date.now());
    assert.ok(['02:30', '03:30'].includes(local.format(new Date(nightly?.next_run_at ?? ''))));
    assert.equal(yearly?.timezone, 'UTC');
    assert.equal(yearly?.catch_up, 'latest');
    assert.equal(yearly?.max_executions, 3);
    assert.match(yearly?.next_run_at ?? '', /^\d{4}-01-01T00:00:00\.000Z$/);

    const second = await list(id, '?page=2&per_page=1');
    assert.deepEqual(
      second.data.map((s) => s.node_id),
      ['yearly'],
    );
    assert.equal(second.meta?.pagination.total_pages, 2);
    assert.equal(second.meta?.pagination.has_prev, true);
    assert.deepEqual((await list(id, '?page=3&per_page=1')).data, []);
  });

  it('a new version replaces schedules; a stranger cannot see them; bad paging is 400', async () => {
    const id = await createAndPublish(scheduledWorkflow({ a: { cron: '0 * * * *' }, b: { cron: '0 0 * * *' } }));
    const before = await list(id);
    const update = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token: owner,
      payload: {
        nodes: scheduledWorkflow({ a: { cron: '0 * * * *' } }).nodes,
        connections: scheduledWorkflow({ a: { cron: '0 * * * *' } }).connections,
      },
    });
    assert.equal(update.statusCode, 200, update.body);
    assert.equal((await list(id)).data.length, 2, 'editing the draft changes nothing until publish');
    assert.equal(
      (await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner })).statusCode,
      200,
    );
    const after = await list(id);
    assert.deepEqual(
      after.data.map((s) => s.node_id),
      ['a'],
    );
    assert.equal(after.data[0]?.schedule_id, before.data.find((s) => s.node_id === 'a')?.schedule_id);

    const stranger = await t.token({ userId: 'stranger' });
    const hidden = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/schedules`, token: stranger });
    assert.equal(hidden.statusCode, 404);
    assert.equal(json<Envelope>(hidden).error?.code, 'WORKFLOW_NOT_FOUND');
    const tooMany = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/${id}/schedules?per_page=101`,
      token: owner,
    });
    assert.equal(tooMany.statusCode, 400);
  });

  it('an every-second schedule starts runs from its first slot after publish, and stops after archive', async () => {
    const publishedAt = Date.now();
    const id = await createAndPublish(scheduledWorkflow({ every: { cron: '* * * * * *' } }));
    const db = t.app.database.db;
    const schedule = (await list(id)).data[0];
    assert.ok(schedule);
    assert.ok(
      Date.parse(schedule.next_run_at ?? '') - publishedAt <= 2000,
      `first slot ${schedule.next_run_at} is the next second`,
    );

    const executions = () =>
      db.selectFrom('executions').selectAll().where('workflow_id', '=', id).orderBy('queued_at').execute();
    const first = await until('two scheduled runs', async () => {
      const rows = await executions();
      return rows.length >= 2 ? rows[0] : undefined;
    });
    assert.equal(first?.trigger_source, 'schedule');
    assert.deepEqual(JSON.parse(first?.trigger_node_ids ?? '[]'), ['every']);

    const finished = await until('the first run to finish', async () => {
      const response = await t.request({
        method: 'GET',
        url: `/api/v1/workflows/executions/${first?.execution_id}`,
        token: owner,
      });
      const data = json<Envelope<{ status: string; final_output: Record<string, string> }>>(response).data;
      return data.status === 'completed' ? data : undefined;
    });
    assert.equal(finished.final_output.slot, schedule.next_run_at, 'the first run is the first slot after publish');
    assert.equal(finished.final_output.schedule, schedule.schedule_id);
    assert.ok(Date.parse(finished.final_output.fired) >= Date.parse(finished.final_output.slot));

    const listed = (await list(id)).data[0];
    assert.ok((listed?.run_count ?? 0) >= 2);
    assert.ok(listed?.last_run_at);
    assert.ok(listed?.last_execution_id);

    const archived = await t.request({ method: 'DELETE', url: `/api/v1/workflows/${id}`, token: owner });
    assert.equal(archived.statusCode, 200, archived.body);
    const countAtArchive = (await executions()).length;
    assert.equal(
      (await db.selectFrom('schedules').select('schedule_id').where('workflow_id', '=', id).execute()).length,
      0,
    );
    await sleep(2500);
    assert.equal((await executions()).length, countAtArchive, 'no run starts after archive');

    const fires = await db
      .selectFrom('schedule_fires')
      .select('scheduled_for')
      .where('schedule_id', '=', schedule.schedule_id)
      .execute();
    const slots = fires.map((f) => f.scheduled_for);
    assert.equal(new Set(slots).size, slots.length, 'each slot fired once');
    assert.equal(slots.length, countAtArchive);
  });
});
