/**
 * Validation reports every problem, bounded at 50 (PRODUCT.md §11): every body problem, not the
 * first; enum messages list the allowed values instead of "must be equal to constant … anyOf";
 * node configs report a bad cron with a bad timezone, and a bad URL with a bad method.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { createWorkflow, type Envelope } from './helpers/workflows.ts';

type Problem = { code: string; message: string; details: { errors: string[] } };

describe('validation messages', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  async function problem(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object): Promise<Problem> {
    const response = await t.request({ method, url, token: owner, ...(payload ? { payload } : {}) });
    assert.equal(response.statusCode, 400, response.body);
    const error = json<Envelope>(response).error as unknown as Problem;
    assert.doesNotMatch(error.message, /equal to constant|anyOf/);
    return error;
  }

  it('reports every problem of a body', async () => {
    const error = await problem('POST', '/api/v1/workflows', {
      name: 5,
      entity_id: 'x',
      community_id: 'y',
      colour: 'red',
    });
    assert.deepEqual(error.details.errors.sort(), [
      'body.community_id must be integer or null',
      'body.entity_id must be integer',
      'body.name must be string',
      'unknown field body.colour',
    ]);
    for (const line of error.details.errors) assert.ok(error.message.includes(line), line);
  });

  it('lists the allowed values of an enumerated field', async () => {
    const status = await problem('GET', `/api/v1/workflows?entity_id=${ENTITY_ID}&status=bogus`);
    assert.deepEqual(status.details.errors, ['querystring.status must be one of: draft, active, archived']);
    const id = await createWorkflow(t, owner, { name: 'Grants', entity_id: ENTITY_ID });
    const grant = await problem('PUT', `/api/v1/workflows/${id}/permissions`, {
      permission_type: 'group',
      target_id: 'x',
    });
    assert.deepEqual(grant.details.errors, ['body.permission_type must be one of: user, role, entity']);
  });

  it('stops at 50 problems', async () => {
    const nodes = Object.fromEntries(
      Array.from({ length: 80 }, (_, i) => [`n${i}`, { node_type: 'flow_end', oops: true }]),
    );
    const error = await problem('POST', '/api/v1/workflows', { name: 'Many', entity_id: ENTITY_ID, nodes });
    assert.equal(error.details.errors.length, 50);
    assert.equal(error.details.errors[0], 'unknown field body.nodes.n0.oops');
  });

  it('reports a bad cron with a bad timezone, and a bad URL with a bad method', async () => {
    const id = await createWorkflow(t, owner, {
      name: 'Broken',
      entity_id: ENTITY_ID,
      nodes: {
        tick: { node_type: 'trigger_schedule', config: { cron: 'every now and then', timezone: 'Mars/Olympus' } },
        call: { node_type: 'action_webhook', config: { url: 'gopher://old', method: 'SEND' } },
      },
      connections: [{ from_node_id: 'tick', from_port_name: 'output', to_node_id: 'call', to_port_name: 'input' }],
    });
    const response = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/validate`, token: owner });
    const result = json<Envelope<{ node_validation_errors: Record<string, string[]> }>>(response).data;
    const tick = result.node_validation_errors.tick.join('\n');
    assert.match(tick, /timezone/);
    assert.match(tick, /cron/);
    const call = result.node_validation_errors.call.join('\n');
    assert.match(call, /'method' must be one of 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'/);
    assert.match(call, /'url': 'gopher:\/\/old' is not an http\(s\) URL/);
  });

  it('reports every problem of a dispatched event', async () => {
    const router = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/workflows/events',
      token: router,
      payload: { type: 'shout', entity_id: ENTITY_ID, platform: 'twitch' },
    });
    assert.equal(response.statusCode, 400);
    const error = json<Envelope>(response).error as unknown as Problem;
    assert.deepEqual(error.details.errors.sort(), [
      'body.type must be one of: command, event',
      'missing required field body.user_id',
    ]);
  });
});
