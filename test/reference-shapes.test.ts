/**
 * Answers match the reference field for field: each route's answer is held to the reference's
 * example as a schema (see helpers/reference.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signWebhook } from '../src/webhooks/signature.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, greetingWorkflow } from './helpers/fixtures.ts';
import { referenceExample, shapeProblems } from './helpers/reference.ts';

describe('answers match the reference examples', () => {
  let t: TestApp;
  let token: string;
  let workflowId: string;
  const answers = new Map<string, unknown>();

  before(async () => {
    t = await createTestApp();
    token = await t.token({ userId: 'ref', entities: [ENTITY_ID, 1] });
    const call = async (title: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
      const response = await t.request({ method, url, token, ...(payload ? { payload } : {}) });
      assert.ok(response.statusCode < 300, `${title}: ${response.statusCode} ${response.body.slice(0, 300)}`);
      answers.set(title, json(response));
      return json<{ data: Record<string, unknown> }>(response).data;
    };
    const definition = greetingWorkflow();
    Object.assign(definition.nodes, {
      manual: { node_type: 'trigger_manual' },
      hook: { node_type: 'trigger_webhook' },
    });
    definition.connections.push(
      {
        connection_id: 'conn2',
        from_node_id: 'manual',
        from_port_name: 'output',
        to_node_id: 'node2',
        to_port_name: 'input',
      },
      {
        connection_id: 'conn3',
        from_node_id: 'hook',
        from_port_name: 'output',
        to_node_id: 'node2',
        to_port_name: 'input',
      },
    );
    workflowId = (await call('Create Workflow', 'POST', '/api/v1/workflows', definition)).workflow_id as string;
    await call('Validate Workflow', 'POST', `/api/v1/workflows/${workflowId}/validate`);
    await call('Publish Workflow', 'POST', `/api/v1/workflows/${workflowId}/publish`, { community_id: 456 });
    await call('Get Workflow', 'GET', `/api/v1/workflows/${workflowId}`);
    await call('List Workflows', 'GET', '/api/v1/workflows?entity_id=123');
    const executed = await call('Execute Workflow', 'POST', `/api/v1/workflows/${workflowId}/execute`, {
      community_id: 456,
      variables: { username: 'ref' },
      trigger_node_id: 'manual',
    });
    for (let i = 0; i < 100; i++) {
      const got = await call('Get Execution Details', 'GET', `/api/v1/workflows/executions/${executed.execution_id}`);
      if (got.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await call('List Workflow Executions', 'GET', `/api/v1/workflows/${workflowId}/executions?community_id=456`);
    await call('Test Workflow', 'POST', `/api/v1/workflows/${workflowId}/test`, { variables: { username: 'tester' } });
    const hook = await call('Create Webhook', 'POST', `/api/v1/workflows/${workflowId}/webhooks`, { name: 'GitHub' });
    const body = Buffer.from('{"event":"ping"}');
    const triggered = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/webhooks/${hook.token}`,
      headers: {
        'content-type': 'application/json',
        'x-webhook-signature': signWebhook(hook.secret as string, hook.token as string, body),
      },
      payload: body,
    });
    answers.set('Trigger Webhook (Public)', json(triggered));
    await call('List Webhooks', 'GET', `/api/v1/workflows/${workflowId}/webhooks`);
    await call('Update Workflow', 'PUT', `/api/v1/workflows/${workflowId}`, { description: 'changed' });
    await call('Module Status', 'GET', '/api/v1/status');
    await call('Health Check', 'GET', '/health');
    await call('Delete Webhook', 'DELETE', `/api/v1/workflows/${workflowId}/webhooks/${hook.webhook_id}`);
    await call('Delete Workflow', 'DELETE', `/api/v1/workflows/${workflowId}`);
  });
  after(() => t.close());

  const titles = [
    'Create Workflow',
    'List Workflows',
    'Get Workflow',
    'Update Workflow',
    'Delete Workflow',
    'Publish Workflow',
    'Validate Workflow',
    'Execute Workflow',
    'Get Execution Details',
    'List Workflow Executions',
    'Test Workflow',
    'Trigger Webhook (Public)',
    'Create Webhook',
    'Delete Webhook',
    'Module Status',
    'Health Check',
  ];
  for (const title of titles) {
    it(title, () => {
      const example = referenceExample(title);
      const actual = answers.get(title);
      assert.ok(actual, `no answer recorded for ${title}`);
      assert.deepEqual(shapeProblems(example, actual), []);
    });
  }

  it('List Webhooks (last_triggered_at may be null until the statistics flush)', () => {
    const example = referenceExample('List Webhooks');
    const actual = answers.get('List Webhooks') as { data: Array<Record<string, unknown>> };
    const problems = shapeProblems(example, actual).filter((p) => !p.startsWith('$.data[0].last_triggered_at is null'));
    assert.deepEqual(problems, []);
  });

  it('Cancel Execution', async () => {
    const created = json<{ data: { workflow_id: string } }>(
      await t.request({
        method: 'POST',
        url: '/api/v1/workflows',
        token,
        payload: {
          name: 'slow',
          entity_id: 1,
          nodes: { s: { node_type: 'trigger_manual' }, d: { node_type: 'action_delay', config: { delay_ms: 30000 } } },
          connections: [{ from_node_id: 's', from_port_name: 'output', to_node_id: 'd', to_port_name: 'input' }],
        },
      }),
    ).data.workflow_id;
    await t.request({ method: 'POST', url: `/api/v1/workflows/${created}/publish`, token });
    const started = json<{ data: { execution_id: string } }>(
      await t.request({ method: 'POST', url: `/api/v1/workflows/${created}/execute`, token, payload: {} }),
    ).data.execution_id;
    const cancelled = await t.request({ method: 'POST', url: `/api/v1/workflows/executions/${started}/cancel`, token });
    assert.equal(cancelled.statusCode, 200);
    assert.deepEqual(shapeProblems(referenceExample('Cancel Execution'), json(cancelled)), []);
  });
});
