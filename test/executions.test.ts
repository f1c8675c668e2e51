/**
 * The Execution API through HTTP on a real database: execute (202, wait → 200 or 504), get with
 * logs and metrics, list with filters and sorting, cancel, test with mocks, permissions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, slowWorkflow } from './helpers/fixtures.ts';
import {
  createWorkflow,
  type Envelope,
  executeWorkflow,
  publishWorkflow,
  waitForExecution,
} from './helpers/workflows.ts';

/** manual trigger → set variables → if (score > 10) → chat message | end(failed) */
function scoringWorkflow(extraNodes: Record<string, unknown> = {}, extraConnections: unknown[] = []) {
  return {
    name: 'Scoring',
    entity_id: ENTITY_ID,
    community_id: 456,
    global_variables: { base: 5 },
    nodes: {
      start: { node_type: 'trigger_manual' },
      set: {
        node_type: 'data_variable_set',
        config: { variables: { doubled: '{{ score }}', who: 'viewer {{ user }}' } },
      },
      check: {
        node_type: 'condition_if',
        config: { rules: [{ variable: 'score', operator: 'greater_than', value: 10 }] },
      },
      say: { node_type: 'action_chat_message', config: { message: 'Big score {{ score }} from {{ user }}' } },
      low: {
        node_type: 'flow_end',
        config: { status: 'failed', error_message: 'score too low', final_output: { score: '{{ score }}' } },
      },
      ...extraNodes,
    },
    connections: [
      { from_node_id: 'start', from_port_name: 'output', to_node_id: 'set', to_port_name: 'input' },
      { from_node_id: 'set', from_port_name: 'output', to_node_id: 'check', to_port_name: 'input' },
      { from_node_id: 'check', from_port_name: 'true', to_node_id: 'say', to_port_name: 'input' },
      { from_node_id: 'check', from_port_name: 'false', to_node_id: 'low', to_port_name: 'input' },
      ...extraConnections,
    ],
  };
}

const delayWorkflow = slowWorkflow(60_000);

describe('execution API', () => {
  let t: TestApp;
  let owner: string;

  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner' });
  });
  after(() => t.close());

  const publish = (definition: Record<string, unknown>) => publishWorkflow(t, owner, definition);
  const execute = (id: string, body: Record<string, unknown>) => executeWorkflow(t, owner, id, body);
  const waitForStatus = (executionId: string, done: (status: string) => boolean) =>
    waitForExecution<Record<string, unknown>>(t, owner, executionId, { done, intervalMs: 50 });

  it('execute answers 202 queued, and the run completes with every field of the reference', async () => {
    const id = await publish(scoringWorkflow());
    const response = await execute(id, {
      community_id: 456,
      variables: { score: 42, user: 'ana' },
      metadata: { trigger_source: 'api' },
    });
    assert.equal(response.statusCode, 202, response.body);
    const started = json<Envelope>(response);
    assert.equal(started.message, 'Workflow execution started');
    assert.ok(['queued', 'running'].includes(started.data.status as string));
    assert.deepEqual(started.data.execution_path, []);
    assert.equal(started.data.workflow_id, id);

    const done = await waitForStatus(started.data.execution_id as string, (s) => s === 'completed' || s === 'failed');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.deepEqual(done.execution_path, ['start', 'set', 'check', 'say']);
    const states = done.node_states as Record<string, Record<string, unknown>>;
    for (const key of [
      'node_id',
      'status',
      'started_at',
      'completed_at',
      'input_data',
      'output_data',
      'logs',
      'error',
    ]) {
      assert.ok(key in states.say, `node state has ${key}`);
    }
    assert.equal(states.low.status, 'skipped');
    assert.equal((done.final_variables as Record<string, unknown>).doubled, 42, 'a single template keeps its type');
    assert.equal((done.final_variables as Record<string, unknown>).who, 'viewer ana');
    assert.equal((done.final_variables as Record<string, unknown>).base, 5);
    assert.equal(done.error_message, null);
    assert.equal(typeof done.execution_time_seconds, 'number');
    const outbox = done.outbox as Array<{ kind: string; payload: { message: string } }>;
    assert.equal(outbox.length, 1);
    assert.equal(outbox[0].payload.message, 'Big score 42 from ana');
  });

  it('wait_for_completion answers 200 with the finished run; flow_end failed sets the status', async () => {
    const id = await publish(scoringWorkflow());
    const response = await execute(id, { variables: { score: 1, user: 'bo' }, wait_for_completion: true });
    assert.equal(response.statusCode, 200, response.body);
    const data = json<Envelope>(response).data;
    assert.equal(data.status, 'failed');
    assert.equal(data.error_message, 'score too low');
    assert.deepEqual(data.final_output, { score: 1 });
  });

  it('wait_for_completion that runs out answers 504 EXECUTION_TIMEOUT, and cancel stops the delay at once', async () => {
    const id = await publish(delayWorkflow);
    const response = await execute(id, { wait_for_completion: true, timeout_seconds: 0.3 });
    assert.equal(response.statusCode, 504, response.body);
    const error = json<Envelope>(response).error;
    assert.equal(error?.code, 'EXECUTION_TIMEOUT');
    const executionId = error?.details.execution_id as string;
    await waitForStatus(executionId, (s) => s === 'running');

    const cancel = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/executions/${executionId}/cancel`,
      token: owner,
    });
    assert.equal(cancel.statusCode, 200, cancel.body);
    const cancelled = json<Envelope>(cancel);
    assert.equal(cancelled.message, 'Execution cancelled successfully');
    assert.equal(cancelled.data.status, 'cancelled');
    assert.ok(cancelled.data.cancelled_at);
    const final = await waitForStatus(executionId, (s) => s === 'cancelled');
    assert.ok(!(final.execution_path as string[]).includes('after'), 'the node after the delay never ran');

    const again = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/executions/${executionId}/cancel`,
      token: owner,
    });
    assert.equal(again.statusCode, 400);
    assert.equal(json<Envelope>(again).error?.code, 'EXECUTION_NOT_CANCELLABLE');
    assert.equal(json<Envelope>(again).error?.details.status, 'cancelled');
  });

  it('include_logs=false drops logs and data; include_metrics adds the metrics block', async () => {
    const id = await publish(scoringWorkflow());
    const run = json<Envelope>(
      await execute(id, { variables: { score: 50, user: 'x' }, wait_for_completion: true }),
    ).data;
    const slim = json<Envelope>(
      await t.request({
        method: 'GET',
        url: `/api/v1/workflows/executions/${run.execution_id}?include_logs=false&include_metrics=true`,
        token: owner,
      }),
    ).data;
    const say = (slim.node_states as Record<string, Record<string, unknown>>).say;
    assert.equal('logs' in say, false);
    assert.equal('output_data' in say, false);
    const metrics = slim.metrics as Record<string, unknown>;
    for (const key of [
      'queue_wait_ms',
      'total_duration_ms',
      'node_durations_ms',
      'nodes_executed',
      'nodes_failed',
      'nodes_skipped',
      'retries',
    ]) {
      assert.ok(key in metrics, key);
    }
    assert.equal(metrics.nodes_executed, 4);
    assert.equal(metrics.nodes_skipped, 1);
  });

  it('lists executions with pagination, status filter and sorting; test runs only on request', async () => {
    const id = await publish(scoringWorkflow());
    for (const score of [20, 1, 30]) await execute(id, { variables: { score, user: 'u' }, wait_for_completion: true });
    await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/test`,
      token: owner,
      payload: { variables: { score: 99 } },
    });

    const list = json<Envelope<Array<Record<string, unknown>>>>(
      await t.request({
        method: 'GET',
        url: `/api/v1/workflows/${id}/executions?community_id=456&per_page=2`,
        token: owner,
      }),
    );
    assert.equal(list.data.length, 2);
    assert.deepEqual(list.meta?.pagination, {
      page: 1,
      per_page: 2,
      total: 3,
      total_pages: 2,
      has_next: true,
      has_prev: false,
    });
    for (const key of [
      'execution_id',
      'workflow_id',
      'status',
      'start_time',
      'end_time',
      'execution_time_seconds',
      'nodes_executed',
      'success',
      'error',
    ]) {
      assert.ok(key in list.data[0], key);
    }
    const failed = json<Envelope<Array<Record<string, unknown>>>>(
      await t.request({
        method: 'GET',
        url: `/api/v1/workflows/${id}/executions?community_id=456&status=failed`,
        token: owner,
      }),
    );
    assert.equal(failed.data.length, 1);
    assert.equal(failed.data[0].success, false);
    assert.equal(failed.data[0].error, 'score too low');
    const withTest = json<Envelope<unknown[]>>(
      await t.request({
        method: 'GET',
        url: `/api/v1/workflows/${id}/executions?community_id=456&include_test=true`,
        token: owner,
      }),
    );
    assert.equal(withTest.meta?.pagination.total, 4);
    const asc = json<Envelope<Array<{ start_time: string }>>>(
      await t.request({
        method: 'GET',
        url: `/api/v1/workflows/${id}/executions?community_id=456&sort_by=start_time&sort_order=asc`,
        token: owner,
      }),
    );
    const times = asc.data.map((e) => e.start_time);
    assert.deepEqual([...times].sort(), times);
    for (const bad of [
      '',
      'community_id=456&sort_by=name',
      'community_id=456&sort_order=up',
      'community_id=456&status=weird',
      'community_id=456&per_page=500',
    ]) {
      const response = await t.request({
        method: 'GET',
        url: `/api/v1/workflows/${id}/executions?${bad}`,
        token: owner,
      });
      assert.equal(response.statusCode, 400, bad);
    }
  });

  it('test runs the working draft without delivering, honours mocks and answers trace and summary', async () => {
    const id = await createWorkflow(t, owner, scoringWorkflow());
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/test`,
      token: owner,
      payload: { community_id: 456, variables: { score: 3, user: 'tess' }, mock_outputs: { check: { port: 'true' } } },
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = json<Envelope>(response);
    assert.equal(body.message, 'Workflow test completed');
    assert.equal(body.data.test_mode, true);
    assert.equal(body.data.status, 'completed');
    const trace = body.data.trace as Array<Record<string, unknown>>;
    assert.deepEqual(
      trace.filter((s) => s.status !== 'skipped').map((s) => s.node_id),
      ['start', 'set', 'check', 'say'],
    );
    assert.equal(trace.find((s) => s.node_id === 'low')?.status, 'skipped');
    for (const key of ['node_id', 'status', 'duration_seconds', 'input', 'output', 'logs', 'error'])
      assert.ok(key in trace[0], key);
    const summary = body.data.summary as Record<string, unknown>;
    assert.equal(summary.nodes_executed, 4);
    assert.equal(summary.nodes_failed, 0);
    assert.equal(summary.passed, true);
    assert.equal(typeof summary.total_duration, 'number');
    const outbox = body.data.outbox as Array<{ delivered: boolean; simulated: boolean }>;
    assert.equal(outbox[0].delivered, false);
    assert.equal(outbox[0].simulated, true);
  });

  it('refuses drafts (409), archived workflows (404), unknown executions (404) and bad trigger ids (400)', async () => {
    const draft = await createWorkflow(t, owner, scoringWorkflow());
    const notActive = await execute(draft, {});
    assert.equal(notActive.statusCode, 409);
    assert.equal(json<Envelope>(notActive).error?.code, 'WORKFLOW_NOT_ACTIVE');

    const archived = await publish(scoringWorkflow());
    await t.request({ method: 'DELETE', url: `/api/v1/workflows/${archived}`, token: owner });
    const gone = await execute(archived, {});
    assert.equal(gone.statusCode, 404);
    assert.equal(json<Envelope>(gone).error?.code, 'WORKFLOW_NOT_FOUND');

    const active = await publish(scoringWorkflow());
    const badTrigger = await execute(active, { trigger_node_id: 'say' });
    assert.equal(badTrigger.statusCode, 400);
    const unknownField = await execute(active, { variabels: {} });
    assert.equal(unknownField.statusCode, 400);

    const missing = await t.request({
      method: 'GET',
      url: '/api/v1/workflows/executions/00000000-0000-4000-8000-000000000000',
      token: owner,
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(json<Envelope>(missing).error?.code, 'EXECUTION_NOT_FOUND');
  });

  it('a stranger cannot see, cancel or list executions; a viewer can read but not cancel', async () => {
    const id = await publish(delayWorkflow);
    const started = json<Envelope<{ execution_id: string }>>(await execute(id, {})).data.execution_id;
    const stranger = await t.token({ userId: 'stranger' });
    for (const [method, url] of [
      ['GET', `/api/v1/workflows/executions/${started}`],
      ['POST', `/api/v1/workflows/executions/${started}/cancel`],
    ] as const) {
      const response = await t.request({ method, url, token: stranger });
      assert.equal(response.statusCode, 404);
      assert.equal(json<Envelope>(response).error?.code, 'EXECUTION_NOT_FOUND');
    }
    await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}/permissions`,
      token: owner,
      payload: { permission_type: 'user', target_id: 'viewer', can_view: true },
    });
    const viewer = await t.token({ userId: 'viewer' });
    assert.equal(
      (await t.request({ method: 'GET', url: `/api/v1/workflows/executions/${started}`, token: viewer })).statusCode,
      200,
    );
    const cancel = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/executions/${started}/cancel`,
      token: viewer,
    });
    assert.equal(cancel.statusCode, 403);
    assert.equal(json<Envelope>(cancel).error?.code, 'PERMISSION_DENIED');
    await t.request({ method: 'POST', url: `/api/v1/workflows/executions/${started}/cancel`, token: owner });
  });
});
