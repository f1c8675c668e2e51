/**
 * @module test/semantics-cancel
 * PRODUCT.md section 5, cancellation, end to end through the HTTP API and the real database: a
 * cancel stops the run at once, whether it is waiting in action_delay, in a retry backoff, in an
 * action_webhook call or in a router delivery, and the in-flight HTTP request is aborted (the stub
 * on 127.0.0.1 sees its connection closed).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { until } from './helpers/polling.ts';
import { startStubServer } from './helpers/stub-server.ts';
import { type Execution, type NodeSpec, readExecution, startWorkflow, workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Cancel', entity_id: ENTITY_ID });

/**
 * A stub on 127.0.0.1: `/hang` and the router paths never answer (until closed), `/fail` answers
 * 500. It records every request and which of them the client aborted.
 */
async function startStub() {
  const stub = await startStubServer((request) => (request.path.startsWith('/fail') ? { status: 500 } : undefined));
  return { url: stub.url, requests: stub.received, close: stub.close };
}

describe('semantics: cancellation', () => {
  let t: TestApp;
  let owner: string;
  let stub: Awaited<ReturnType<typeof startStub>>;

  before(async () => {
    stub = await startStub();
    t = await createTestApp({ ALLOW_PRIVATE_NETWORK: 'true', ROUTER_URL: `${stub.url}/router` });
    owner = await t.token({ userId: 'owner' });
  });
  after(async () => {
    await t.close();
    await stub.close();
  });

  const read = (executionId: string) => readExecution(t, owner, executionId);
  /** Publishes and starts the workflow without waiting; answers the execution id. */
  const start = (definition: object) => startWorkflow(t, owner, definition);

  /** Cancels, then waits for the stored run to say cancelled. */
  async function cancel(executionId: string): Promise<Execution> {
    const response = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/executions/${executionId}/cancel`,
      token: owner,
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(json<{ data: { status: string } }>(response).data.status, 'cancelled');
    return until('the cancelled state', async () => {
      const execution = await read(executionId);
      return execution.status === 'cancelled' ? execution : undefined;
    });
  }

  const nodeRunning = (executionId: string, nodeId: string) =>
    until(`${nodeId} running`, async () =>
      (await read(executionId)).node_states[nodeId]?.status === 'running' ? true : undefined,
    );

  const afterNode: NodeSpec = ['data_variable_set', { variables: { after_ran: true } }];

  it('cancel during an action_delay interrupts the wait; the next node never runs', async () => {
    const executionId = await start(
      workflow({ start: ['trigger_manual'], wait: ['action_delay', { delay_ms: 120_000 }], after: afterNode }, [
        'start -> wait',
        'wait -> after',
      ]),
    );
    await nodeRunning(executionId, 'wait');
    const cancelled = await cancel(executionId);
    assert.ok(cancelled.cancelled_at, 'cancelled_at is set');
    assert.notEqual(cancelled.node_states.wait.status, 'completed');
    assert.ok(!cancelled.execution_path.includes('after'));
    assert.equal(cancelled.final_variables.after_ran, undefined);

    const again = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/executions/${executionId}/cancel`,
      token: owner,
    });
    assert.equal(again.statusCode, 400, 'a finished run cannot be cancelled again');
    assert.equal(json<{ error: { details: { status: string } } }>(again).error.details.status, 'cancelled');
  });

  it('cancel during parallel delays stops every branch', async () => {
    const executionId = await start(
      workflow(
        {
          start: ['trigger_manual'],
          fork: ['flow_parallel'],
          a: ['action_delay', { delay_ms: 120_000 }],
          b: ['action_delay', { delay_ms: 120_000 }],
          join: ['flow_merge'],
        },
        ['start -> fork', 'fork -> a', 'fork -> b', 'a -> join', 'b -> join'],
      ),
    );
    await nodeRunning(executionId, 'a');
    await nodeRunning(executionId, 'b');
    const cancelled = await cancel(executionId);
    assert.ok(!cancelled.execution_path.includes('join'));
  });

  it('cancel during an action_webhook call aborts the HTTP request and does not retry it', async () => {
    const executionId = await start(
      workflow(
        {
          start: ['trigger_manual'],
          call: [
            'action_webhook',
            { url: `${stub.url}/hang/x`, timeout_seconds: 120 },
            { retry: { max_attempts: 3, backoff_ms: 10 } },
          ],
          after: afterNode,
        },
        ['start -> call', 'call -> after'],
      ),
    );
    const request = await until('the webhook request', () => stub.requests.find((r) => r.path === '/hang/x'));
    await cancel(executionId);
    await until('the stub to see the request aborted', () => (request.aborted ? true : undefined));
    const final = await read(executionId);
    assert.ok(!final.execution_path.includes('after'));
    assert.equal(stub.requests.filter((r) => r.path === '/hang/x').length, 1, 'a cancelled call is not retried');
  });

  it('cancel during a router delivery (action_chat_message) aborts the POST to the router', async () => {
    const executionId = await start(
      workflow({ start: ['trigger_manual'], say: ['action_chat_message', { message: 'hi' }], after: afterNode }, [
        'start -> say',
        'say -> after',
      ]),
    );
    const request = await until('the router request', () =>
      stub.requests.find((r) => r.path === '/router/api/v1/send-message'),
    );
    await cancel(executionId);
    await until('the router to see the request aborted', () => (request.aborted ? true : undefined));
    assert.ok(!(await read(executionId)).execution_path.includes('after'));
  });

  it('cancel during a retry backoff stops the retries', async () => {
    const executionId = await start(
      workflow(
        {
          start: ['trigger_manual'],
          call: ['action_webhook', { url: `${stub.url}/fail/1` }, { retry: { max_attempts: 5, backoff_ms: 120_000 } }],
        },
        ['start -> call'],
      ),
    );
    await until('the first attempt', () => stub.requests.find((r) => r.path === '/fail/1'));
    await nodeRunning(executionId, 'call');
    const cancelled = await cancel(executionId);
    assert.equal(cancelled.status, 'cancelled');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(stub.requests.filter((r) => r.path === '/fail/1').length, 1, 'no attempt after the cancel');
  });
});
