/**
 * Unknown, archived and unviewable resources answer identically on REST (PRODUCT.md §2, §11):
 * status, code, message and details, so an id cannot be probed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { executeAndWait, publishWorkflow } from './helpers/workflows.ts';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const MANUAL = {
  name: 'Probe',
  entity_id: ENTITY_ID,
  nodes: { start: { node_type: 'trigger_manual' }, end: { node_type: 'flow_end' } },
  connections: [{ from_node_id: 'start', from_port_name: 'output', to_node_id: 'end', to_port_name: 'input' }],
};

describe('not found is one answer', () => {
  let t: TestApp;
  let owner: string;
  let stranger: string;
  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner' });
    stranger = await t.token({ userId: 'stranger' });
  });
  after(() => t.close());

  async function answer(method: 'GET' | 'POST', url: string, token: string) {
    const response = await t.request({ method, url, token, ...(method === 'POST' ? { payload: {} } : {}) });
    return { status: response.statusCode, body: json(response) };
  }

  it('an unknown and an unviewable execution read and cancel the same', async () => {
    const run = await executeAndWait(t, owner, MANUAL);
    for (const [method, suffix] of [
      ['GET', ''],
      ['POST', '/cancel'],
    ] as const) {
      const hidden = await answer(method, `/api/v1/workflows/executions/${run.execution_id}${suffix}`, stranger);
      const unknown = await answer(method, `/api/v1/workflows/executions/${UNKNOWN}${suffix}`, stranger);
      assert.equal(hidden.status, 404);
      assert.deepEqual(hidden, unknown, `${method} ${suffix}`);
      assert.deepEqual(hidden.body.error, { code: 'EXECUTION_NOT_FOUND', message: 'Execution not found', details: {} });
    }
  });

  it('an unknown, an unviewable and an archived workflow execute the same', async () => {
    const id = await publishWorkflow(t, owner, MANUAL);
    const hidden = await answer('POST', `/api/v1/workflows/${id}/execute`, stranger);
    const unknown = await answer('POST', `/api/v1/workflows/${UNKNOWN}/execute`, owner);
    assert.equal(hidden.status, 404);
    assert.deepEqual(hidden, unknown);
    assert.equal((await t.request({ method: 'DELETE', url: `/api/v1/workflows/${id}`, token: owner })).statusCode, 200);
    const archived = await answer('POST', `/api/v1/workflows/${id}/execute`, owner);
    assert.deepEqual(archived, unknown);
    assert.deepEqual(unknown.body.error, { code: 'WORKFLOW_NOT_FOUND', message: 'Workflow not found', details: {} });
  });
});
