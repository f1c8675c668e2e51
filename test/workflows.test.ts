import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, greetingWorkflow } from './helpers/fixtures.ts';
import type { Envelope } from './helpers/workflows.ts';

describe('workflow management', () => {
  let t: TestApp;
  let owner: string;

  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: '42', username: 'owner', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  async function create(body: Record<string, unknown> = greetingWorkflow()) {
    const response = await t.request({ method: 'POST', url: '/api/v1/workflows', token: owner, payload: body });
    assert.equal(response.statusCode, 201, response.body);
    return json<Envelope<{ workflow_id: string }>>(response).data.workflow_id;
  }

  it('creates a draft and returns everything it was sent', async () => {
    const body = greetingWorkflow({ settings: { timeout_seconds: 30 } });
    const response = await t.request({ method: 'POST', url: '/api/v1/workflows', token: owner, payload: body });
    assert.equal(response.statusCode, 201);
    const created = json<Envelope<{ workflow_id: string; status: string; name: string; created_at: string }>>(response);
    assert.equal(created.success, true);
    assert.equal(created.message, 'Workflow created successfully');
    assert.match(created.data.workflow_id, /^[0-9a-f-]{36}$/);
    assert.equal(created.data.status, 'draft');
    assert.equal(created.data.name, 'My Workflow');
    assert.ok(!Number.isNaN(Date.parse(created.data.created_at)));

    const got = json<Envelope>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${created.data.workflow_id}`, token: owner }),
    );
    assert.deepEqual(got.data.nodes, body.nodes);
    assert.deepEqual(got.data.connections, body.connections);
    assert.deepEqual(got.data.global_variables, { greeting: 'Hello' });
    assert.deepEqual(got.data.settings, { timeout_seconds: 30 });
    assert.equal(got.data.created_by, '42');
    assert.equal(got.data.entity_id, ENTITY_ID);
    assert.equal(got.data.status, 'draft');
    assert.equal(got.data.has_unpublished_changes, true);
  });

  it('update changes only the fields given', async () => {
    const id = await create();
    const response = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token: owner,
      payload: { name: 'Renamed' },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(json<Envelope>(response).message, 'Workflow updated successfully');
    const got = json<Envelope>(await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: owner })).data;
    assert.equal(got.name, 'Renamed');
    assert.equal(got.description, 'Workflow description');
    assert.deepEqual(got.global_variables, { greeting: 'Hello' });
    assert.equal(Object.keys(got.nodes as object).length, 2);
  });

  it('validates, publishes a version and keeps it immutable while the draft changes', async () => {
    const id = await create();
    const validation = json<Envelope>(
      await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/validate`, token: owner }),
    );
    assert.equal(validation.message, 'Validation completed');
    assert.equal(validation.data.is_valid, true);
    assert.equal(validation.data.error_count, 0);
    assert.deepEqual(validation.data.errors, []);

    const publish = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${id}/publish`,
      token: owner,
      payload: { community_id: 456 },
    });
    assert.equal(publish.statusCode, 200, publish.body);
    const published = json<Envelope>(publish);
    assert.equal(published.message, 'Workflow published successfully');
    assert.equal(published.data.status, 'active');
    assert.ok(published.data.published_at);

    await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token: owner,
      payload: { global_variables: { greeting: 'Hi' } },
    });
    const got = json<Envelope>(await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: owner })).data;
    assert.equal(got.status, 'active');
    assert.equal(got.has_unpublished_changes, true);
    assert.equal(got.published_version, 1);

    const versions = json<Envelope<Array<{ version: number }>>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/versions`, token: owner }),
    );
    assert.deepEqual(
      versions.data.map((v) => v.version),
      [1],
    );
    const v1 = json<Envelope>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/versions/1`, token: owner }),
    ).data;
    assert.deepEqual(v1.global_variables, { greeting: 'Hello' });
    const missing = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/versions/2`, token: owner });
    assert.equal(missing.statusCode, 404);
    assert.equal(json<Envelope>(missing).error?.code, 'NOT_FOUND');

    await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner });
    const after2 = json<Envelope>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: owner }),
    ).data;
    assert.equal(after2.published_version, 2);
    assert.equal(after2.has_unpublished_changes, false);
  });

  it('stores an invalid draft, reports it on validate, and refuses to publish it', async () => {
    const id = await create(
      greetingWorkflow({ nodes: { a: { node_type: 'no_such_type', config: {} } }, connections: [] }),
    );
    const validation = json<Envelope>(
      await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/validate`, token: owner }),
    ).data;
    assert.equal(validation.is_valid, false);
    assert.equal(validation.error_count, (validation.errors as unknown[]).length);
    assert.ok((validation.errors as string[]).some((e) => e.includes('no_such_type')));
    assert.ok(Array.isArray((validation.node_validation_errors as Record<string, unknown>).a));

    const publish = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner });
    assert.equal(publish.statusCode, 400);
    const error = json<Envelope>(publish).error;
    assert.equal(error?.code, 'VALIDATION_FAILED');
    assert.equal(error?.details.is_valid, false);
    const got = json<Envelope>(await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: owner })).data;
    assert.equal(got.status, 'draft');
  });

  it('archives on delete, keeps history readable and refuses edits', async () => {
    const id = await create();
    const del = await t.request({ method: 'DELETE', url: `/api/v1/workflows/${id}`, token: owner });
    assert.equal(del.statusCode, 200);
    assert.equal(json<Envelope>(del).message, 'Workflow archived successfully');
    assert.equal(json<Envelope>(del).data.status, 'archived');
    const got = json<Envelope>(await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: owner })).data;
    assert.equal(got.status, 'archived');
    const put = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token: owner,
      payload: { name: 'x' },
    });
    assert.equal(put.statusCode, 409);
    assert.equal(json<Envelope>(put).error?.code, 'WORKFLOW_NOT_ACTIVE');
    const audit = json<Envelope<Array<{ action: string; actor_id: string }>>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/audit`, token: owner }),
    );
    assert.deepEqual(
      audit.data.map((a) => a.action),
      ['archived', 'created'],
    );
    assert.equal(audit.data[0].actor_id, '42');
  });

  it('lists by entity with filters, search and pagination meta', async () => {
    const entity = 9001;
    const token = await t.token({ userId: 'lister', entities: [entity] });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/workflows',
        token,
        payload: greetingWorkflow({ entity_id: entity, name: i === 3 ? 'Raid 50%_alert' : `Flow ${i}` }),
      });
      ids.push(json<Envelope<{ workflow_id: string }>>(response).data.workflow_id);
    }
    await t.request({ method: 'POST', url: `/api/v1/workflows/${ids[0]}/publish`, token });

    const page1 = json<Envelope<unknown[]>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows?entity_id=${entity}&per_page=2`, token }),
    );
    assert.equal(page1.data.length, 2);
    assert.deepEqual(page1.meta?.pagination, {
      page: 1,
      per_page: 2,
      total: 5,
      total_pages: 3,
      has_next: true,
      has_prev: false,
    });
    const page3 = json<Envelope<unknown[]>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows?entity_id=${entity}&per_page=2&page=3`, token }),
    );
    assert.equal(page3.data.length, 1);
    assert.equal(page3.meta?.pagination.has_prev, true);
    const past = await t.request({ method: 'GET', url: `/api/v1/workflows?entity_id=${entity}&page=99`, token });
    assert.equal(past.statusCode, 200);
    assert.deepEqual(json<Envelope<unknown[]>>(past).data, []);

    const active = json<Envelope<Array<{ workflow_id: string }>>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows?entity_id=${entity}&status=active`, token }),
    );
    assert.deepEqual(
      active.data.map((w) => w.workflow_id),
      [ids[0]],
    );
    const search = json<Envelope<Array<{ name: string }>>>(
      await t.request({
        method: 'GET',
        url: `/api/v1/workflows?entity_id=${entity}&search=${encodeURIComponent('50%_A')}`,
        token,
      }),
    );
    assert.deepEqual(
      search.data.map((w) => w.name),
      ['Raid 50%_alert'],
    );
    const literal = json<Envelope<unknown[]>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows?entity_id=${entity}&search=%25`, token }),
    );
    assert.equal(literal.data.length, 1, 'a % in the search is a literal percent sign, not a wildcard');

    const stranger = await t.token({ userId: 'someone-else' });
    const none = json<Envelope<unknown[]>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows?entity_id=${entity}`, token: stranger }),
    );
    assert.deepEqual(none.data, []);
  });

  it('rejects bad list queries with 400', async () => {
    for (const query of [
      '',
      'entity_id=abc',
      'entity_id=1&per_page=101',
      'entity_id=1&per_page=0',
      'entity_id=1&page=0',
      'entity_id=1&status=deleted',
    ]) {
      const response = await t.request({ method: 'GET', url: `/api/v1/workflows?${query}`, token: owner });
      assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
      assert.equal(json<Envelope>(response).error?.code, 'BAD_REQUEST');
    }
  });
});
