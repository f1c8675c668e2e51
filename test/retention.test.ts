/**
 * Retention: old runs and runs past the per-workflow cap are pruned in batches, test runs first,
 * on a 100,000-row table, while a webhook keeps being served.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { NewExecutionRow } from '../src/store/database.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { createTestDatabase, TEST_DIALECT } from './helpers/database.ts';
import { endedRunRow, insertRows } from './helpers/execution-rows.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type Envelope, publishWorkflow, workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Retained', entity_id: ENTITY_ID });
const DAY = 86_400_000;

const runRow = (workflowId: string, queuedAt: string, testMode: 0 | 1) =>
  endedRunRow(workflowId, ENTITY_ID, queuedAt, testMode);
const bulkInsert = (t: TestApp, rows: NewExecutionRow[]) => insertRows(t.app.database.db, rows);

async function count(t: TestApp, workflowId: string, testMode?: 0 | 1): Promise<number> {
  let query = t.app.database.db.selectFrom('executions').where('workflow_id', '=', workflowId);
  if (testMode !== undefined) query = query.where('test_mode', '=', testMode);
  const [{ total }] = await query.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  return Number(total);
}

describe('execution retention', () => {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp({ EXECUTION_RETENTION_BATCH: '1000', EXECUTION_RETENTION_PER_WORKFLOW: '50000' });
    token = await t.token({ userId: 'owner', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  it('prunes 100,000 old runs in batches while a webhook keeps answering', async () => {
    const hooked = await publishWorkflow(
      t,
      token,
      workflow({ hook: ['trigger_webhook'], end: ['flow_end', { final_output: { ok: true } }] }, ['hook -> end']),
    );
    const made = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${hooked}/webhooks`,
      token,
      payload: { name: 'load', require_signature: false, rate_limit_max: 100_000, rate_limit_window: 60 },
    });
    assert.equal(made.statusCode, 201, made.body);
    const hookToken = json<Envelope<{ token: string }>>(made).data.token;

    const old = new Date(Date.now() - 40 * DAY);
    const rows = Array.from({ length: 100_000 }, (_, i) =>
      runRow(hooked, new Date(old.getTime() + i).toISOString(), (i % 2) as 0 | 1),
    );
    const recent = Array.from({ length: 10 }, () => runRow(hooked, new Date(Date.now() - DAY).toISOString(), 0));
    await bulkInsert(t, [...rows, ...recent]);
    assert.equal(await count(t, hooked), 100_010);

    const retention = t.app.features.retention.retention;
    let pruning = true;
    const pass = retention.prune().finally(() => {
      pruning = false;
    });
    const latencies: number[] = [];
    const statuses = new Set<number>();
    let servedDuringPrune = 0;
    while (pruning) {
      const started = performance.now();
      const response = await t.request({
        method: 'POST',
        url: `/api/v1/workflows/webhooks/${hookToken}`,
        payload: { n: latencies.length },
      });
      latencies.push(performance.now() - started);
      statuses.add(response.statusCode);
      if (pruning) servedDuringPrune++;
    }
    const report = await pass;
    assert.deepEqual([...statuses], [200]);
    assert.ok(servedDuringPrune > 0, 'webhooks were answered while pruning ran');
    assert.equal(report.deleted, 100_000);
    assert.ok(report.batches >= 100, `deleted in batches of at most 1000 (${report.batches} batches)`);
    // The ten recent runs and the webhook's own runs stay.
    assert.equal(await count(t, hooked), 10 + latencies.length);
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
    console.log(
      `retention: ${report.batches} batches; ${latencies.length} webhook calls meanwhile, p99 ${p99.toFixed(1)} ms`,
    );
  });

  it('caps runs per workflow, pruning test runs first', async () => {
    const capped = await createTestApp({ EXECUTION_RETENTION_PER_WORKFLOW: '5', EXECUTION_RETENTION_BATCH: '2' });
    try {
      const owner = await capped.token({ userId: 'owner', entities: [ENTITY_ID] });
      const id = await publishWorkflow(capped, owner, workflow({ go: ['trigger_manual'] }, []));
      const base = Date.now() - DAY;
      const rows = [
        ...Array.from({ length: 5 }, (_, i) => runRow(id, new Date(base + i * 1000).toISOString(), 0)),
        // Test runs newer than every real run still go first.
        ...Array.from({ length: 3 }, (_, i) => runRow(id, new Date(base + 10_000 + i).toISOString(), 1)),
      ];
      await bulkInsert(capped, rows);
      const retention = capped.app.features.retention.retention;
      const report = await retention.prune();
      assert.equal(report.deleted, 3);
      assert.equal(await count(capped, id, 1), 0);
      assert.equal(await count(capped, id, 0), 5);
      await bulkInsert(capped, [runRow(id, new Date().toISOString(), 0)]);
      await retention.prune();
      const left = await capped.app.database.db
        .selectFrom('executions')
        .select('queued_at')
        .where('workflow_id', '=', id)
        .orderBy('queued_at')
        .execute();
      assert.equal(left.length, 5);
      assert.equal(left[0].queued_at, rows[1].queued_at, 'the oldest real run went');
    } finally {
      await capped.close();
    }
  });

  it('closing the app ends a pass after its batch and closes the job (on SQLite, its thread)', async () => {
    const database = await createTestDatabase();
    try {
      const closing = await createTestApp({ EXECUTION_RETENTION_BATCH: '10' }, { database });
      const old = new Date(Date.now() - 40 * DAY);
      await bulkInsert(
        closing,
        Array.from({ length: 5000 }, (_, i) => runRow('closing', new Date(old.getTime() + i).toISOString(), 0)),
      );
      const pass = closing.app.features.retention.retention.prune();
      while ((await count(closing, 'closing')) === 5000) await new Promise((resolve) => setTimeout(resolve, 10));
      await closing.close();
      const report = await pass;
      assert.ok(report.deleted > 0 && report.deleted < 5000, `stopped part way (${report.deleted} deleted)`);
      assert.equal(report.deleted % 10, 0, 'whole batches only');
      if (TEST_DIALECT === 'sqlite') {
        // The last connection to close removes the WAL file: the thread's connection closed too.
        assert.equal(existsSync(`${database.url.slice('sqlite:'.length)}-wal`), false);
      }
    } finally {
      await database.cleanup();
    }
  });
});
