/**
 * The record a cancel leaves (PRODUCT.md §5): one `cancelled_at` (the cancel answer equals what
 * GET shows), the interrupted node `cancelled` and counted, the nodes it would have reached
 * `skipped`, and a cancelled queued run counted in /metrics like any other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { until } from './helpers/polling.ts';
import {
  type Envelope,
  type ExecutionWithMetrics,
  readExecution,
  readExecutionWithMetrics,
  startWorkflow,
  waitForExecution,
  workflowBuilder,
} from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Cancel record', entity_id: ENTITY_ID });
const SLOW = workflow(
  {
    start: ['trigger_manual'],
    wait: ['action_delay', { delay_ms: 120_000 }],
    after: ['data_variable_set', { variables: { x: 1 } }],
    end: ['flow_end'],
  },
  ['start -> wait', 'wait -> after', 'after -> end'],
);

describe('the record of a cancelled run', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    // One run at a time, so a second run waits queued.
    t = await createTestApp({ EXECUTION_CONCURRENCY: '1' });
    owner = await t.token({ userId: 'owner' });
  });
  after(() => t.close());

  async function cancel(executionId: string): Promise<string> {
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/executions/${executionId}/cancel`,
      token: owner,
    });
    assert.equal(response.statusCode, 200, response.body);
    return json<Envelope<{ cancelled_at: string }>>(response).data.cancelled_at;
  }

  async function cancelledCount(): Promise<number> {
    const text = (await t.request({ method: 'GET', url: '/metrics' })).body;
    const line = /^workflow_executions_total\{status="cancelled"\} (\d+)$/m.exec(text);
    return line ? Number(line[1]) : 0;
  }

  it('has one cancelled_at, the interrupted node cancelled and what it would have reached skipped', async () => {
    const executionId = await startWorkflow(t, owner, SLOW);
    await until('the delay to run', async () =>
      (await readExecution(t, owner, executionId)).node_states.wait?.status === 'running' ? true : undefined,
    );
    const answered = await cancel(executionId);
    await waitForExecution(t, owner, executionId);
    const run: ExecutionWithMetrics = await readExecutionWithMetrics(t, owner, executionId);
    assert.equal(run.status, 'cancelled');
    assert.equal(run.cancelled_at, answered);
    assert.equal(run.node_states.start.status, 'completed');
    assert.equal(run.node_states.wait.status, 'cancelled');
    assert.ok(run.node_states.wait.completed_at);
    assert.equal(run.node_states.after.status, 'skipped');
    assert.equal(run.node_states.end.status, 'skipped');
    assert.deepEqual([run.metrics.nodes_executed, run.metrics.nodes_failed, run.metrics.nodes_skipped], [2, 0, 2]);
  });

  it('counts the cancel of a queued run in /metrics', async () => {
    const before = await cancelledCount();
    const blocker = await startWorkflow(t, owner, SLOW);
    const queued = await startWorkflow(t, owner, SLOW);
    assert.equal((await readExecution(t, owner, queued)).status, 'queued');
    const answered = await cancel(queued);
    const run = await waitForExecution(t, owner, queued);
    assert.equal(run.status, 'cancelled');
    assert.equal(run.cancelled_at, answered);
    // Counted once the end is committed; on PostgreSQL the row can be read a moment before that.
    const counted = (n: number) =>
      until(`${n} cancels counted`, async () => ((await cancelledCount()) === n ? n : undefined));
    assert.equal(await counted(before + 1), before + 1);
    await cancel(blocker);
    await waitForExecution(t, owner, blocker);
    assert.equal(await counted(before + 2), before + 2);
    assert.equal(await cancelledCount(), before + 2, 'each cancel is counted once');
  });
});
