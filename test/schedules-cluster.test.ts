/**
 * Two whole apps (each with its scheduler and workers) on one PostgreSQL schema, as two `serve`
 * processes would run: an every-second schedule limited to 10 runs fires each of its 10 slots
 * exactly once in total. Always PostgreSQL: SQLite is a single-process store.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type App, createApp } from '../src/app.ts';
import { mintToken } from '../src/auth/jwt.ts';
import { loadConfig } from '../src/config.ts';
import { testAppEnv } from './helpers/app.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';

describe('two scheduler processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  const apps: App[] = [];
  const secret = randomBytes(32).toString('hex');

  before(async () => {
    database = await createTestDatabase('postgres');
    const config = loadConfig(testAppEnv(database, secret));
    // One after the other: the second finds the migrations applied.
    apps.push(await createApp(config, { databaseSchema: database.schema, background: true }));
    apps.push(await createApp(config, { databaseSchema: database.schema, background: true }));
  });
  after(async () => {
    for (const app of apps) await app.close();
    await database?.cleanup();
  });

  it('fires every slot of an every-second schedule exactly once', async () => {
    const [first] = apps;
    assert.ok(first);
    const token = await mintToken(secret, { userId: '42', entities: [ENTITY_ID] });
    const headers = { authorization: `Bearer ${token}` };
    const created = await first.http.inject({
      method: 'POST',
      url: '/api/v1/workflows',
      headers,
      payload: {
        name: 'Every second',
        entity_id: ENTITY_ID,
        nodes: {
          every: { node_type: 'trigger_schedule', config: { cron: '* * * * * *', max_executions: 10 } },
          done: { node_type: 'flow_end', config: { final_output: { slot: '{{ scheduled_for }}' } } },
        },
        connections: [{ from_node_id: 'every', from_port_name: 'output', to_node_id: 'done', to_port_name: 'input' }],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const workflowId = (JSON.parse(created.body) as { data: { workflow_id: string } }).data.workflow_id;
    const published = await first.http.inject({
      method: 'POST',
      url: `/api/v1/workflows/${workflowId}/publish`,
      headers,
    });
    assert.equal(published.statusCode, 200, published.body);

    const db = first.database.db;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const schedule = await db
        .selectFrom('schedules')
        .selectAll()
        .where('workflow_id', '=', workflowId)
        .executeTakeFirstOrThrow();
      if (schedule.next_run_at === null) break;
      assert.ok(Date.now() < deadline, `schedule still running after 30 s: ${JSON.stringify(schedule)}`);
      await sleep(250);
    }
    // Both processes keep ticking a while longer: nothing more may fire.
    await sleep(1500);

    const schedule = await db
      .selectFrom('schedules')
      .selectAll()
      .where('workflow_id', '=', workflowId)
      .executeTakeFirstOrThrow();
    assert.equal(schedule.run_count, 10);
    const fires = await db
      .selectFrom('schedule_fires')
      .selectAll()
      .where('schedule_id', '=', schedule.schedule_id)
      .orderBy('scheduled_for')
      .execute();
    const slots = fires.map((f) => Date.parse(f.scheduled_for));
    assert.equal(slots.length, 10);
    assert.equal(new Set(slots).size, 10);
    for (let i = 1; i < slots.length; i++)
      assert.equal((slots[i] ?? 0) - (slots[i - 1] ?? 0), 1000, 'consecutive seconds, none missed');

    const executions = await db.selectFrom('executions').selectAll().where('workflow_id', '=', workflowId).execute();
    assert.equal(executions.length, 10);
    assert.ok(executions.every((e) => e.trigger_source === 'schedule'));
    assert.deepEqual(new Set(fires.map((f) => f.execution_id)), new Set(executions.map((e) => e.execution_id)));
    const slotsOfRuns = executions.map(
      (e) => (JSON.parse(e.request) as { trigger_data: { scheduled_for: string } }).trigger_data.scheduled_for,
    );
    assert.deepEqual(
      slotsOfRuns.sort(),
      fires.map((f) => f.scheduled_for),
    );
  });
});
