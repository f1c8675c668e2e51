/**
 * version and published_version as PRODUCT.md §3 has them: `version` counts edits that change
 * something, `published_version` is the latest snapshot's number, an unchanged definition is not
 * snapshotted again, and has_unpublished_changes says whether the draft differs from that snapshot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, greetingWorkflow } from './helpers/fixtures.ts';
import { createWorkflow, type Envelope } from './helpers/workflows.ts';

type Head = { version: number; published_version: number | null; has_unpublished_changes: boolean; status: string };

describe('workflow versions', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  async function head(id: string): Promise<Head> {
    const response = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: owner });
    return json<Envelope<Head>>(response).data;
  }

  async function publish(id: string): Promise<Head> {
    const response = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner });
    assert.equal(response.statusCode, 200, response.body);
    // The publish answer's `version` is the published snapshot's number.
    const answered = json<Envelope<{ version: number }>>(response).data;
    const after = await head(id);
    assert.equal(answered.version, after.published_version);
    return after;
  }

  async function edit(id: string, payload: object): Promise<Head> {
    const response = await t.request({ method: 'PUT', url: `/api/v1/workflows/${id}`, token: owner, payload });
    assert.equal(response.statusCode, 200, response.body);
    const after = await head(id);
    assert.equal(json<Envelope<Head>>(response).data.version, after.version);
    return after;
  }

  async function snapshots(id: string): Promise<number[]> {
    const response = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/versions`, token: owner });
    return json<Envelope<Array<{ version: number }>>>(response).data.map((v) => v.version);
  }

  const pick = ({ version, published_version, has_unpublished_changes }: Head) => ({
    version,
    published_version,
    has_unpublished_changes,
  });

  it('publishing twice without an edit keeps one snapshot', async () => {
    const id = await createWorkflow(t, owner, greetingWorkflow());
    assert.deepEqual(pick(await head(id)), { version: 1, published_version: null, has_unpublished_changes: true });
    assert.deepEqual(pick(await publish(id)), { version: 1, published_version: 1, has_unpublished_changes: false });
    assert.deepEqual(pick(await publish(id)), { version: 1, published_version: 1, has_unpublished_changes: false });
    assert.deepEqual(await snapshots(id), [1]);
  });

  it('version counts edits that change something; an edit undone leaves nothing to publish', async () => {
    const original = greetingWorkflow();
    const id = await createWorkflow(t, owner, original);
    await publish(id);
    assert.equal((await edit(id, { name: original.name })).version, 1, 'a PUT of the stored value is no edit');
    const changedNodes = {
      ...original.nodes,
      node2: { ...original.nodes.node2, config: { message: 'Bye, {{username}}!' } },
    };
    assert.deepEqual(pick(await edit(id, { nodes: changedNodes })), {
      version: 2,
      published_version: 1,
      has_unpublished_changes: true,
    });
    assert.deepEqual(pick(await edit(id, { nodes: original.nodes })), {
      version: 3,
      published_version: 1,
      has_unpublished_changes: false,
    });
    assert.deepEqual(pick(await publish(id)), { version: 3, published_version: 1, has_unpublished_changes: false });
    assert.deepEqual(pick(await edit(id, { description: 'Now with a description' })), {
      version: 4,
      published_version: 1,
      has_unpublished_changes: true,
    });
    assert.deepEqual(pick(await publish(id)), { version: 4, published_version: 2, has_unpublished_changes: false });
    assert.deepEqual(await snapshots(id), [2, 1]);
  });
});
