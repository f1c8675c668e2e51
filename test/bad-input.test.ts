import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, greetingWorkflow } from './helpers/fixtures.ts';

type ErrorEnvelope = { success: false; error: { code: string; message: string; details: Record<string, unknown> } };

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const SQL = "'; DROP TABLE workflows; --";

describe('bad input answers 4xx in the envelope and changes nothing', () => {
  let t: TestApp;
  let token: string;
  let workflowId: string;
  let snapshot: string;

  before(async () => {
    t = await createTestApp();
    token = await t.token({ userId: 'u1', entities: [ENTITY_ID, 777] });
    const created = await t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: greetingWorkflow() });
    workflowId = json<{ data: { workflow_id: string } }>(created).data.workflow_id;
    snapshot = (await t.request({ method: 'GET', url: `/api/v1/workflows/${workflowId}`, token })).body;
  });
  after(() => t.close());

  async function assertUnchanged() {
    assert.equal((await t.request({ method: 'GET', url: `/api/v1/workflows/${workflowId}`, token })).body, snapshot);
    const list = json<{ meta: { pagination: { total: number } } }>(
      await t.request({ method: 'GET', url: `/api/v1/workflows?entity_id=${ENTITY_ID}`, token }),
    );
    assert.equal(list.meta.pagination.total, 1);
  }

  const rawBodies: Array<[string, string | Buffer, number, string]> = [
    ['malformed JSON', '{"name": "x",', 400, 'INVALID_JSON'],
    ['a JSON string', '"hello"', 400, 'BAD_REQUEST'],
    ['a JSON array', '[1,2]', 400, 'BAD_REQUEST'],
    ['__proto__ key', '{"name":"x","entity_id":1,"__proto__":{"admin":true}}', 400, 'INVALID_JSON'],
    [
      'constructor.prototype key',
      '{"name":"x","entity_id":1,"constructor":{"prototype":{"x":1}}}',
      400,
      'INVALID_JSON',
    ],
    ['10,000-deep nesting', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, 400, 'BAD_REQUEST'],
    [
      'a 2 MiB body',
      JSON.stringify({ ...greetingWorkflow(), description: 'x'.repeat(2 * 1024 * 1024) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ];

  for (const [name, payload, status, code] of rawBodies) {
    it(`create: ${name} → ${status} ${code}`, async () => {
      const response = await t.request({
        method: 'POST',
        url: '/api/v1/workflows',
        token,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      assert.equal(response.statusCode, status, response.body);
      const body = json<ErrorEnvelope>(response);
      assert.equal(body.success, false);
      assert.equal(body.error.code, code);
      assert.ok(body.error.message.length > 0);
      assert.doesNotMatch(response.body, /at .*\.ts:\d+/, 'no stack trace in an answer');
      await assertUnchanged();
    });
  }

  const objects: Array<[string, Record<string, unknown>, RegExp]> = [
    ['missing name', { entity_id: 1 }, /name/],
    ['missing entity_id', { name: 'x' }, /entity_id/],
    ['entity_id as a string', { name: 'x', entity_id: '123' }, /entity_id/],
    ['name as a number', { name: 5, entity_id: 1 }, /name/],
    ['blank name', { name: '   ', entity_id: 1 }, /name/],
    ['unknown field', { name: 'x', entity_id: 1, owner: 'me' }, /unknown field body\.owner/],
    ['unknown node field', { name: 'x', entity_id: 1, nodes: { a: { node_type: 'trigger_manual', evil: 1 } } }, /evil/],
    ['nodes as an array', { name: 'x', entity_id: 1, nodes: [] }, /nodes/],
    ['bad node id', { name: 'x', entity_id: 1, nodes: { 'a b': { node_type: 'trigger_manual' } } }, /nodes/],
    [
      'connection missing ports',
      { name: 'x', entity_id: 1, connections: [{ from_node_id: 'a', to_node_id: 'b' }] },
      /from_port_name/,
    ],
    ['negative timeout', { name: 'x', entity_id: 1, settings: { timeout_seconds: -1 } }, /timeout_seconds/],
    [
      '60-deep config nesting',
      {
        name: 'x',
        entity_id: 1,
        nodes: { a: { node_type: 'trigger_manual', config: nested(70) as Record<string, unknown> } },
      },
      /deeper/,
    ],
  ];

  for (const [name, body, mentions] of objects) {
    it(`create: ${name} → 400 naming the field`, async () => {
      const response = await t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: body });
      assert.equal(response.statusCode, 400, response.body);
      const error = json<ErrorEnvelope>(response).error;
      assert.equal(error.code, 'BAD_REQUEST');
      assert.match(error.message, mentions);
      await assertUnchanged();
    });
  }

  it('update: unknown field, wrong type and empty body are 400; nothing changes', async () => {
    for (const payload of [{ nmae: 'typo' }, { name: 7 }, {}, { entity_id: 5 }, { nodes: 'x' }]) {
      const response = await t.request({ method: 'PUT', url: `/api/v1/workflows/${workflowId}`, token, payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(json<ErrorEnvelope>(response).error.code, 'BAD_REQUEST');
    }
    await assertUnchanged();
  });

  it('non-UUID ids in paths are 400, unknown UUIDs 404', async () => {
    for (const url of [
      '/api/v1/workflows/not-a-uuid',
      `/api/v1/workflows/${encodeURIComponent(SQL)}`,
      '/api/v1/workflows/1/versions',
    ]) {
      const response = await t.request({ method: 'GET', url, token });
      assert.equal(response.statusCode, 400, url);
      assert.equal(json<ErrorEnvelope>(response).error.code, 'BAD_REQUEST');
    }
    const missing = await t.request({
      method: 'GET',
      url: '/api/v1/workflows/00000000-0000-4000-8000-000000000000',
      token,
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(json<ErrorEnvelope>(missing).error.code, 'WORKFLOW_NOT_FOUND');
  });

  it('wrong content type is 415, unknown route 404, both in the envelope', async () => {
    const text = await t.request({
      method: 'POST',
      url: '/api/v1/workflows',
      token,
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    assert.equal(text.statusCode, 415);
    assert.equal(json<ErrorEnvelope>(text).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    const unknown = await t.request({ method: 'GET', url: '/api/v1/nope', token });
    assert.equal(unknown.statusCode, 404);
    assert.equal(json<ErrorEnvelope>(unknown).error.code, 'NOT_FOUND');
    await assertUnchanged();
  });

  it('SQL and __proto__ strings in every text field are stored verbatim and harm nothing', async () => {
    const payload = greetingWorkflow({
      name: SQL,
      description: '__proto__',
      entity_id: 777,
      global_variables: { note: SQL, other: '__proto__' },
      nodes: { n1: { node_type: 'trigger_command', label: SQL, config: { command_name: '__proto__' } } },
      connections: [],
    });
    const created = await t.request({ method: 'POST', url: '/api/v1/workflows', token, payload });
    assert.equal(created.statusCode, 201);
    const id = json<{ data: { workflow_id: string } }>(created).data.workflow_id;
    const got = json<{ data: Record<string, unknown> }>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token }),
    ).data;
    assert.equal(got.name, SQL);
    assert.equal(got.description, '__proto__');
    assert.deepEqual(got.global_variables, { note: SQL, other: '__proto__' });
    const search = await t.request({
      method: 'GET',
      url: `/api/v1/workflows?entity_id=777&search=${encodeURIComponent(SQL)}`,
      token,
    });
    assert.equal(json<{ data: unknown[] }>(search).data.length, 1);
    await assertUnchanged();
  });
});
