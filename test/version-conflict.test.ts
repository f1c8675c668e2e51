/**
 * Concurrent edits (PRODUCT.md §3): a PUT with `expected_version` writes only when the stored
 * version is that one; otherwise 409 VERSION_CONFLICT with the current version, and nothing is
 * written. Without it the last write wins. Two edits racing on one version: exactly one wins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, greetingWorkflow } from './helpers/fixtures.ts';
import type { Envelope } from './helpers/workflows.ts';

describe('PUT expected_version', () => {
  let t: TestApp;
  let token: string;
  let id: string;

  const put = (body: Record<string, unknown>) =>
    t.request({ method: 'PUT', url: `/api/v1/workflows/${id}`, token, payload: body });
  const read = async () =>
    json<Envelope<{ version: number; name: string; nodes: Record<string, { label?: string }> }>>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token }),
    ).data;

  before(async () => {
    t = await createTestApp({}, { background: false });
    token = await t.token({ userId: '42', entities: [ENTITY_ID] });
    const created = await t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: greetingWorkflow() });
    id = json<Envelope<{ workflow_id: string }>>(created).data.workflow_id;
  });
  after(() => t.close());

  it('writes when the version matches and refuses a stale one with the current version', async () => {
    const start = await read();
    const nodes = start.nodes;
    const first = await put({
      nodes: { ...nodes, node1: { ...nodes.node1, label: 'first' } },
      expected_version: start.version,
    });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(json<Envelope<{ version: number }>>(first).data.version, start.version + 1);

    const stale = await put({
      nodes: { ...nodes, node1: { ...nodes.node1, label: 'stale' } },
      expected_version: start.version,
    });
    assert.equal(stale.statusCode, 409);
    const error = json<Envelope>(stale).error;
    assert.equal(error?.code, 'VERSION_CONFLICT');
    assert.equal(error?.details.version, start.version + 1);
    const after = await read();
    assert.equal(after.version, start.version + 1);
    assert.equal(after.nodes.node1.label, 'first');

    const stalename = await put({ name: 'Renamed', expected_version: start.version });
    assert.equal(stalename.statusCode, 409);
    assert.equal((await read()).name, greetingWorkflow().name);
  });

  it('lets the last write win without expected_version', async () => {
    const before = await read();
    const blind = await put({ nodes: { ...before.nodes, node1: { ...before.nodes.node1, label: 'blind' } } });
    assert.equal(blind.statusCode, 200);
    assert.equal((await read()).nodes.node1.label, 'blind');
  });

  it('lets exactly one of two racing edits on the same version through', async () => {
    const start = await read();
    const edits = ['left', 'right'].map((label) =>
      put({ nodes: { ...start.nodes, node1: { ...start.nodes.node1, label } }, expected_version: start.version }),
    );
    const answers = await Promise.all(edits);
    const statuses = answers.map((a) => a.statusCode).sort();
    assert.deepEqual(statuses, [200, 409], answers.map((a) => a.body).join('\n'));
    const winner = answers.findIndex((a) => a.statusCode === 200);
    const end = await read();
    assert.equal(end.version, start.version + 1);
    assert.equal(end.nodes.node1.label, winner === 0 ? 'left' : 'right');
  });

  it('rejects a malformed expected_version', async () => {
    const bad = await put({ name: 'x', expected_version: 'seven' });
    assert.equal(bad.statusCode, 400);
  });
});
