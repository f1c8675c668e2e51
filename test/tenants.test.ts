/**
 * The tenant boundary and ids (issue 9, findings 4, 6 and 11): workflows are created only in the
 * caller's entities, deliveries speak for the stored workflow's entity and community, ids beyond
 * 2^53 are refused instead of merged, and upper-case UUIDs name the same resource.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { COMMUNITY_ID, ENTITY_ID, greetingWorkflow } from './helpers/fixtures.ts';
import {
  type Envelope,
  type Execution,
  executeWorkflow,
  publishWorkflow,
  waitForExecution,
} from './helpers/workflows.ts';

const create = (t: TestApp, token: string, body: object) =>
  t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: body });

describe('tenants', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('creating a workflow in an entity the token does not list is 403 FORBIDDEN', async () => {
    const attacker = await t.token({ userId: 'mallory', entities: [666] });
    const refused = await create(t, attacker, greetingWorkflow({ entity_id: ENTITY_ID }));
    assert.equal(refused.statusCode, 403, refused.body);
    const error = json<Envelope>(refused).error;
    assert.equal(error?.code, 'FORBIDDEN');
    assert.match(error?.message ?? '', new RegExp(`not a member of entity ${ENTITY_ID}`, 'i'));
    const none = await t.token({ userId: 'nobody', entities: [] });
    assert.equal((await create(t, none, greetingWorkflow())).statusCode, 403);
    assert.equal((await create(t, attacker, greetingWorkflow({ entity_id: 666 }))).statusCode, 201);
  });

  it('the workflows:admin scope creates in any entity', async () => {
    const admin = await t.token({ userId: 'ops', entities: [], scope: 'workflows:admin' });
    assert.equal((await create(t, admin, greetingWorkflow({ entity_id: 77 }))).statusCode, 201);
  });

  it('entity_id never changes after create', async () => {
    const owner = await t.token({ userId: 'owner' });
    const id = json<Envelope<{ workflow_id: string }>>(await create(t, owner, greetingWorkflow())).data.workflow_id;
    const moved = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token: owner,
      payload: { entity_id: 666 },
    });
    assert.equal(moved.statusCode, 400, moved.body);
    const read = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: owner });
    assert.equal(json<Envelope<{ entity_id: number }>>(read).data.entity_id, ENTITY_ID);
  });

  it('deliveries carry the stored entity and community, never a community from the request', async () => {
    const owner = await t.token({ userId: 'speaker' });
    const router = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
    const id = await publishWorkflow(
      t,
      owner,
      greetingWorkflow({
        nodes: {
          ...greetingWorkflow().nodes,
          manual: { node_type: 'trigger_manual' },
          node1: { node_type: 'trigger_command', config: { command_name: '!tenant' } },
        },
        connections: [
          ...greetingWorkflow().connections,
          { from_node_id: 'manual', from_port_name: 'output', to_node_id: 'node2', to_port_name: 'input' },
        ],
      }),
    );
    const executed = await executeWorkflow(t, owner, id, {
      community_id: 999,
      wait_for_completion: true,
      timeout_seconds: 10,
    });
    assert.equal(executed.statusCode, 200, executed.body);
    const viaApi = json<Envelope<Execution>>(executed).data;

    const dispatched = await t.request({
      method: 'POST',
      url: '/api/v1/workflows/events',
      token: router,
      payload: {
        type: 'command',
        entity_id: ENTITY_ID,
        community_id: 999,
        platform: 'twitch',
        user_id: 'viewer',
        message: '!tenant hi',
      },
    });
    assert.equal(dispatched.statusCode, 202, dispatched.body);
    const matched = json<Envelope<{ matched: Array<{ execution_id: string }> }>>(dispatched).data.matched;
    assert.equal(matched.length, 1);
    const viaEvent = await waitForExecution(t, owner, matched[0].execution_id);

    const tested = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/test`,
      token: owner,
      payload: { community_id: 999, trigger_node_id: 'manual' },
    });
    assert.equal(tested.statusCode, 200, tested.body);
    const viaTest = json<Envelope<{ outbox: Execution['outbox'] }>>(tested).data;

    for (const run of [viaApi, viaEvent, viaTest]) {
      assert.equal(run.outbox.length, 1, JSON.stringify(run.outbox));
      assert.equal(run.outbox[0].payload.entity_id, ENTITY_ID);
      assert.equal(run.outbox[0].payload.community_id, COMMUNITY_ID);
    }
  });
});

describe('ids beyond 2^53', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(t.secret));

  it('numeric user_id and entities claims that are not safe integers are 401, asking for strings', async () => {
    for (const claims of [
      { user_id: Number('123456789012345678') },
      { user_id: Number('123456789012345679') },
      { user_id: '1', entities: [Number('123456789012345678')] },
      { sub: 'x', user_id: 1.5 },
    ]) {
      const listed = await t.request({
        method: 'GET',
        url: `/api/v1/workflows?entity_id=${ENTITY_ID}`,
        token: await sign(claims),
      });
      assert.equal(listed.statusCode, 401, `${JSON.stringify(claims)}: ${listed.body}`);
      assert.match(json<Envelope>(listed).error?.message ?? '', /as strings/);
    }
  });

  it('large ids sent as strings stay distinct users', async () => {
    const first = await sign({ user_id: '123456789012345678', entities: [String(ENTITY_ID)] });
    const second = await sign({ user_id: '123456789012345679', entities: [String(ENTITY_ID)] });
    const id = json<Envelope<{ workflow_id: string }>>(await create(t, first, greetingWorkflow())).data.workflow_id;
    const own = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: first });
    assert.equal(own.statusCode, 200);
    const other = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: second });
    assert.equal(other.statusCode, 404);
  });

  it('numeric ids in bodies and queries outside the safe range are 400', async () => {
    const owner = await t.token({ userId: 'owner' });
    const router = await t.token({ userId: 'router', scope: 'workflows:dispatch' });
    const raw = (url: string, token: string, body: string) =>
      t.request({ method: 'POST', url, token, headers: { 'content-type': 'application/json' }, payload: body });
    const big = '123456789012345678';
    const created = await raw(
      '/api/v1/workflows',
      owner,
      `{"name":"big","entity_id":${ENTITY_ID},"community_id":${big}}`,
    );
    assert.equal(created.statusCode, 400, created.body);
    const listed = await t.request({ method: 'GET', url: `/api/v1/workflows?entity_id=${big}`, token: owner });
    assert.equal(listed.statusCode, 400, listed.body);
    for (const field of ['entity_id', 'user_id', 'channel_id', 'message_id']) {
      const event: Record<string, unknown> = {
        type: 'command',
        entity_id: ENTITY_ID,
        platform: 'discord',
        user_id: 'u',
        message: '!x',
      };
      const body = JSON.stringify({ ...event, [field]: 0 }).replace(`"${field}":0`, `"${field}":${big}`);
      const dispatched = await raw('/api/v1/workflows/events', router, body);
      assert.equal(dispatched.statusCode, 400, `${field}: ${dispatched.body}`);
    }
  });

  it('UUIDs in paths are case-insensitive', async () => {
    const owner = await t.token({ userId: 'owner' });
    const id = json<Envelope<{ workflow_id: string }>>(await create(t, owner, greetingWorkflow())).data.workflow_id;
    const upper = id.toUpperCase();
    const read = await t.request({ method: 'GET', url: `/api/v1/workflows/${upper}`, token: owner });
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(json<Envelope<{ workflow_id: string }>>(read).data.workflow_id, id);
    const validated = await t.request({ method: 'POST', url: `/api/v1/workflows/${upper}/validate`, token: owner });
    assert.equal(validated.statusCode, 200, validated.body);
  });
});
