/**
 * Answers that read right: a failed run waited for does not say "completed"; node durations are
 * rounded to microseconds; a foreach broken at item 3 counts 3; `reply_to_message` delivers the
 * triggering message's id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { COMMUNITY_ID, ENTITY_ID } from './helpers/fixtures.ts';
import {
  type Envelope,
  type Execution,
  executeWorkflow,
  publishWorkflow,
  runWorkflow,
  waitForExecution,
  workflowBuilder,
} from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Answers', entity_id: ENTITY_ID, community_id: COMMUNITY_ID });

describe('answers', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner' });
  });
  after(() => t.close());

  it('a failed run waited for says failed, not completed', async () => {
    const id = await publishWorkflow(
      t,
      owner,
      workflow({ start: ['trigger_manual'], end: ['flow_end', { status: 'failed', error_message: 'nope' }] }, [
        'start -> end',
      ]),
    );
    const response = await executeWorkflow(t, owner, id, { wait_for_completion: true });
    assert.equal(response.statusCode, 200, response.body);
    const body = json<Envelope<Execution>>(response);
    assert.equal(body.data.status, 'failed');
    assert.equal(body.message, 'Workflow execution failed');
  });

  it('node durations are rounded to microseconds', async () => {
    const run = await runWorkflow(
      t,
      owner,
      workflow(
        {
          start: ['trigger_manual'],
          a: ['data_variable_set', { variables: { a: 1 } }],
          wait: ['action_delay', { delay_ms: 3 }],
          end: ['flow_end'],
        },
        ['start -> a', 'a -> wait', 'wait -> end'],
      ),
    );
    const durations = run.metrics.node_durations_ms as unknown as Record<string, number>;
    assert.deepEqual(Object.keys(durations).sort(), ['a', 'end', 'start', 'wait']);
    for (const [node, ms] of Object.entries(durations)) assert.match(String(ms), /^\d+(\.\d{1,3})?$/, node);
  });

  it('a foreach broken at item 3 counts 3', async () => {
    const run = await runWorkflow(
      t,
      owner,
      workflow(
        {
          start: ['trigger_manual'],
          each: ['loop_foreach', { array_variable: 'items' }],
          stop: ['loop_break', { rules: [{ variable: 'item', operator: 'equals', value: 3 }] }],
          end: ['flow_end', { final_output: { count: '{{ nodes.each.output.count }}' } }],
        },
        ['start -> each', 'each:loop -> stop', 'each:done -> end'],
      ),
      { items: [1, 2, 3, 4, 5] },
    );
    assert.equal(run.status, 'completed', run.error_message ?? '');
    assert.deepEqual(run.final_output, { count: 3 });
    assert.deepEqual(run.node_states.each.output_data, { count: 3 });
  });

  it('reply_to_message puts the triggering message id into the delivery', async () => {
    await publishWorkflow(
      t,
      owner,
      workflow(
        {
          cmd: ['trigger_command', { command_name: '!hi' }],
          say: ['action_chat_message', { message: 'hello', reply_to_message: true }],
        },
        ['cmd -> say'],
      ),
    );
    const router = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
    const dispatched = await t.request({
      method: 'POST',
      url: '/api/v1/workflows/events',
      token: router,
      payload: {
        type: 'command',
        entity_id: ENTITY_ID,
        community_id: COMMUNITY_ID,
        platform: 'twitch',
        user_id: 'u1',
        channel_id: 'c1',
        message_id: 'msg-77',
        message: '!hi there',
      },
    });
    assert.equal(dispatched.statusCode, 202, dispatched.body);
    const [match] = json<Envelope<{ matched: Array<{ execution_id: string }> }>>(dispatched).data.matched;
    const run = await waitForExecution(t, owner, match.execution_id);
    assert.equal(run.outbox[0].payload.reply_to_message, true);
    assert.equal(run.outbox[0].payload.message_id, 'msg-77');
  });
});
