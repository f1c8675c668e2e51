/**
 * `GET /api/v1/workflows/:id/stats` on a real database: per-hour counts by status and p50/p95
 * (linear interpolation, as PostgreSQL's percentile_cont), test runs, other workflows and runs
 * outside the window left out, `hours` bounds, and the access of any workflow read.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { insertExecution } from '../src/store/executions-repository.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { greetingWorkflow, slowWorkflow } from './helpers/fixtures.ts';
import { type Envelope, executeWorkflow, publishWorkflow } from './helpers/workflows.ts';

const HOUR = 3_600_000;

type Bucket = {
  hour: string;
  counts: Record<string, number>;
  total: number;
  p50_seconds: number | null;
  p95_seconds: number | null;
};
type Stats = { hours: number; from: string; to: string; buckets: Bucket[] };

describe('workflow stats', () => {
  let t: TestApp;
  let owner: string;
  let workflowId: string;
  let otherId: string;
  const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
  // Two and five hours back: still inside a 24 h window should the clock pass an hour meanwhile.
  const recent = new Date(thisHour - 2 * HOUR);
  const earlier = new Date(thisHour - 5 * HOUR);

  async function insert(
    workflow: string,
    at: Date,
    status: string,
    ms: number | null,
    testMode: 0 | 1 = 0,
  ): Promise<void> {
    const iso = new Date(at.getTime() + 1000).toISOString();
    await insertExecution(t.app.database.db, {
      execution_id: randomUUID(),
      workflow_id: workflow,
      workflow_version: 1,
      status,
      trigger_source: testMode ? 'test' : 'api',
      trigger_node_ids: null,
      request: '{}',
      metadata: '{}',
      test_mode: testMode,
      entity_id: 123,
      community_id: 456,
      created_by: 'owner',
      queued_at: iso,
      start_time: iso,
      end_time: ms === null ? null : iso,
      cancelled_at: null,
      execution_time_ms: ms,
      final_variables: null,
      final_output: null,
      error_message: null,
      error_node_id: null,
      checkpoint: null,
      metrics: null,
      updated_at: iso,
    });
  }

  async function stats(id: string, query = '', token = owner) {
    return t.request({ method: 'GET', url: `/api/v1/workflows/${id}/stats${query}`, token });
  }

  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner', entities: [123] });
    workflowId = await publishWorkflow(t, owner, greetingWorkflow());
    otherId = await publishWorkflow(t, owner, greetingWorkflow({ name: 'Other' }));
    for (const ms of [100, 200, 300, 400, 1000]) await insert(workflowId, recent, 'completed', ms);
    await insert(workflowId, recent, 'failed', 50);
    await insert(workflowId, recent, 'running', null);
    await insert(workflowId, recent, 'completed', 99_999, 1);
    await insert(workflowId, earlier, 'cancelled', 2000);
    await insert(workflowId, new Date(thisHour - 30 * HOUR), 'completed', 5000);
    await insert(otherId, recent, 'failed', 7000);
  });
  after(() => t.close());

  it('answers one bucket per hour, oldest first, with counts and percentiles', async () => {
    const response = await stats(workflowId);
    assert.equal(response.statusCode, 200, response.body);
    const data = json<Envelope<Stats>>(response).data;
    assert.equal(data.hours, 24);
    assert.equal(data.buckets.length, 24);
    const hours = data.buckets.map((b) => Date.parse(b.hour));
    for (let i = 1; i < hours.length; i++) assert.equal(hours[i] - hours[i - 1], HOUR);
    assert.equal(data.from, data.buckets[0].hour);
    assert.equal(Date.parse(data.to), hours[23] + HOUR);

    const busy = data.buckets.find((b) => b.hour === recent.toISOString());
    assert.deepEqual(busy, {
      hour: recent.toISOString(),
      counts: { queued: 0, running: 1, completed: 5, failed: 1, cancelled: 0 },
      total: 7,
      // durations 50,100,200,300,400,1000: p50 between 200 and 300; p95 at 4.75 → 400 + 0.75 × 600
      p50_seconds: 0.25,
      p95_seconds: 0.85,
    });
    const quiet = data.buckets.find((b) => b.hour === earlier.toISOString());
    assert.deepEqual(quiet?.counts, { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 1 });
    assert.equal(quiet?.p50_seconds, 2);
    assert.equal(quiet?.p95_seconds, 2);
    const empty = data.buckets.filter((b) => b !== busy && b !== quiet);
    assert.ok(empty.every((b) => b.total === 0 && b.p50_seconds === null && b.p95_seconds === null));
  });

  it('widens the window with hours and keeps to its workflow', async () => {
    const wide = json<Envelope<Stats>>(await stats(workflowId, '?hours=48')).data;
    assert.equal(wide.buckets.length, 48);
    assert.equal(
      wide.buckets.reduce((sum, b) => sum + b.total, 0),
      9,
    );
    const other = json<Envelope<Stats>>(await stats(otherId, '?hours=3')).data;
    assert.deepEqual(
      other.buckets.map((b) => b.total),
      [1, 0, 0],
    );
    assert.equal(other.buckets[0].p95_seconds, 7);
  });

  it('counts real runs as they are recorded', async () => {
    const slow = await publishWorkflow(t, owner, slowWorkflow(0));
    const executed = await executeWorkflow(t, owner, slow, { wait_for_completion: true, timeout_seconds: 10 });
    assert.equal(executed.statusCode, 200, executed.body);
    const data = json<Envelope<Stats>>(await stats(slow, '?hours=2')).data;
    const total = data.buckets.reduce((sum, b) => sum + b.counts.completed, 0);
    assert.equal(total, 1);
    const bucket = data.buckets.find((b) => b.total === 1);
    assert.equal(typeof bucket?.p50_seconds, 'number');
  });

  it('bounds hours to 1..168 and rejects what is not a whole number', async () => {
    for (const bad of ['0', '169', '-1', '2.5', 'day']) {
      const response = await stats(workflowId, `?hours=${bad}`);
      assert.equal(response.statusCode, 400, `hours=${bad}: ${response.body}`);
      assert.equal(json<Envelope>(response).error?.code, 'BAD_REQUEST');
    }
    assert.equal((await stats(workflowId, '?hours=168')).statusCode, 200);
    assert.equal((await stats(workflowId, '?hours=1')).statusCode, 200);
  });

  it('is read like the workflow: 401 without a token, 404 for strangers, 200 with a view grant', async () => {
    assert.equal((await t.request({ method: 'GET', url: `/api/v1/workflows/${workflowId}/stats` })).statusCode, 401);
    const stranger = await t.token({ userId: 'stranger' });
    const hidden = await stats(workflowId, '', stranger);
    assert.equal(hidden.statusCode, 404);
    assert.equal(json<Envelope>(hidden).error?.code, 'WORKFLOW_NOT_FOUND');
    const granted = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${workflowId}/permissions`,
      token: owner,
      payload: { permission_type: 'user', target_id: 'viewer', can_view: true },
    });
    assert.equal(granted.statusCode, 200, granted.body);
    const viewer = await t.token({ userId: 'viewer' });
    assert.equal((await stats(workflowId, '', viewer)).statusCode, 200);
    assert.equal((await stats(randomUUID())).statusCode, 404);
  });
});
