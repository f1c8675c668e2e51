import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, openMigratedDatabase, type TestDatabase } from '../../test/helpers/database.ts';
import type { WorkflowNode } from '../core/workflow.ts';
import type { DatabaseHandle } from '../store/connect.ts';
import { schedulesOfWorkflow, updateSchedule } from '../store/schedules-repository.ts';
import { removeSchedules, scheduleSpecsOf, syncSchedules } from './registration.ts';

function node(config: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode {
  return { node_type: 'trigger_schedule', label: 'every', position: { x: 0, y: 0 }, config, ...extra };
}

describe('scheduleSpecsOf', () => {
  it('takes enabled trigger_schedule nodes with the node type defaults', () => {
    const specs = scheduleSpecsOf({
      a: node({ cron: '0 * * * *' }),
      b: node({ cron: '30 2 * * *', timezone: 'Europe/Berlin', catch_up: 'none', max_executions: 5 }),
      off: node({ cron: '* * * * *' }, { enabled: false }),
      cmd: { node_type: 'trigger_command', label: 'c', position: { x: 0, y: 0 }, config: { command_name: '!x' } },
    });
    assert.deepEqual(specs, [
      { node_id: 'a', cron: '0 * * * *', timezone: 'UTC', catch_up: 'latest', max_executions: null },
      { node_id: 'b', cron: '30 2 * * *', timezone: 'Europe/Berlin', catch_up: 'none', max_executions: 5 },
    ]);
  });
});

describe('syncSchedules', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  before(async () => {
    database = await createTestDatabase();
    handle = await openMigratedDatabase(database);
  });
  after(async () => {
    await handle.close();
    await database.cleanup();
  });

  async function publish(workflowId: string, version: number, nodes: Record<string, WorkflowNode>, at: string) {
    await handle.db
      .transaction()
      .execute((trx) => syncSchedules(trx, workflowId, version, scheduleSpecsOf(nodes), new Date(at)));
    const rows = await schedulesOfWorkflow(handle.db, workflowId);
    return new Map(rows.map((r) => [r.node_id, r]));
  }

  it('registers, keeps counters for an unchanged cron, replaces a changed one and drops removed nodes', async () => {
    const id = randomUUID();
    const v1 = await publish(
      id,
      1,
      { keep: node({ cron: '0 * * * *' }), change: node({ cron: '0 0 * * *' }), drop: node({ cron: '* * * * *' }) },
      '2026-01-01T10:30:00Z',
    );
    assert.equal(v1.size, 3);
    assert.equal(v1.get('keep')?.next_run_at, '2026-01-01T11:00:00.000Z');
    assert.equal(v1.get('change')?.next_run_at, '2026-01-02T00:00:00.000Z');
    await updateSchedule(handle.db, v1.get('keep')?.schedule_id ?? '', {
      run_count: 7,
      last_run_at: '2026-01-01T11:00:00.100Z',
    });
    await updateSchedule(handle.db, v1.get('change')?.schedule_id ?? '', { run_count: 2 });

    const v2 = await publish(
      id,
      2,
      { keep: node({ cron: '0 * * * *', catch_up: 'none' }), change: node({ cron: '0 12 * * *' }) },
      '2026-01-01T11:30:00Z',
    );
    assert.deepEqual([...v2.keys()].sort(), ['change', 'keep']);
    const kept = v2.get('keep');
    assert.equal(kept?.schedule_id, v1.get('keep')?.schedule_id);
    assert.equal(kept?.run_count, 7);
    assert.equal(kept?.last_run_at, '2026-01-01T11:00:00.100Z');
    assert.equal(kept?.catch_up, 'none');
    assert.equal(kept?.workflow_version, 2);
    assert.equal(kept?.next_run_at, '2026-01-01T11:00:00.000Z', 'the pending slot is not moved by a republish');
    const changed = v2.get('change');
    assert.notEqual(changed?.schedule_id, v1.get('change')?.schedule_id);
    assert.equal(changed?.run_count, 0);
    assert.equal(changed?.next_run_at, '2026-01-01T12:00:00.000Z');
  });

  it('retires or revives a kept schedule when max_executions changes', async () => {
    const id = randomUUID();
    const v1 = await publish(id, 1, { s: node({ cron: '0 * * * *' }) }, '2026-01-01T10:30:00Z');
    await updateSchedule(handle.db, v1.get('s')?.schedule_id ?? '', { run_count: 3 });
    const v2 = await publish(id, 2, { s: node({ cron: '0 * * * *', max_executions: 3 }) }, '2026-01-01T10:40:00Z');
    assert.equal(v2.get('s')?.next_run_at, null);
    const v3 = await publish(id, 3, { s: node({ cron: '0 * * * *', max_executions: 10 }) }, '2026-01-01T12:10:00Z');
    assert.equal(v3.get('s')?.next_run_at, '2026-01-01T13:00:00.000Z');
    assert.equal(v3.get('s')?.run_count, 3);
  });

  it('removes every schedule of an archived workflow and leaves others alone', async () => {
    const archived = randomUUID();
    const other = randomUUID();
    await publish(archived, 1, { s: node({ cron: '0 * * * *' }) }, '2026-01-01T10:30:00Z');
    await publish(other, 1, { s: node({ cron: '0 * * * *' }) }, '2026-01-01T10:30:00Z');
    await handle.db.transaction().execute((trx) => removeSchedules(trx, archived));
    assert.equal((await schedulesOfWorkflow(handle.db, archived)).length, 0);
    assert.equal((await schedulesOfWorkflow(handle.db, other)).length, 1);
  });
});
