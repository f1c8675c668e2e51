/**
 * Secrets stay out of what viewers read (issue 9, finding 9): URL userinfo and secret-looking
 * query values are masked in the outbox, logs and error messages; secret-looking headers are
 * masked in the outbox; secret config fields are masked for callers without can_edit, and an
 * editor who sends the mask back keeps the stored value.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SECRET_MASK } from '../src/core/secrets.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type StubServer, startStubServer } from './helpers/stub-server.ts';
import { createWorkflow, type Envelope, runWorkflow, workflowBuilder } from './helpers/workflows.ts';

const build = workflowBuilder({ name: 'secrets', entity_id: ENTITY_ID });

describe('redaction', () => {
  let t: TestApp;
  let owner: string;
  let stub: StubServer;
  before(async () => {
    t = await createTestApp({ ALLOW_PRIVATE_NETWORK: 'true' });
    owner = await t.token({ userId: 'owner' });
    stub = await startStubServer(() => ({ status: 500, body: { error: 'down' } }));
  });
  after(async () => {
    await stub.close();
    await t.close();
  });

  it('URL credentials and secret headers are masked in the outbox, logs and the error message', async () => {
    const url = stub.url.replace('http://', 'http://user:hunter2pass@');
    const definition = build(
      {
        start: ['trigger_manual'],
        call: [
          'action_webhook',
          {
            url: `${url}/x?api_key=QUERYSECRET&page=2`,
            query: { access_token: 'TOKENSECRET' },
            headers: { 'X-Custom-Auth': 'HEADERSECRET', 'X-Api-Key': 'KEYSECRET', Accept: 'application/json' },
            body: { hello: 'world' },
          },
        ],
      },
      ['start -> call'],
    );
    const run = await runWorkflow(t, owner, definition);
    assert.equal(run.status, 'failed');
    assert.ok(stub.received.length > 0, 'the call was made, with its credentials');
    assert.equal(stub.received[0].headers['x-custom-auth'], 'HEADERSECRET');
    const text = JSON.stringify(run);
    for (const secret of ['hunter2pass', 'QUERYSECRET', 'TOKENSECRET', 'HEADERSECRET', 'KEYSECRET']) {
      assert.ok(!text.includes(secret), `${secret} appears in the execution record`);
    }
    assert.match(run.error_message ?? '', /page=2/);
    const sent = run.outbox[0].payload as { url: string; headers: Record<string, string> };
    assert.match(sent.url, /api_key=redacted/);
    assert.equal(sent.headers['X-Custom-Auth'], SECRET_MASK);
    assert.equal(sent.headers.Accept, 'application/json');
  });

  it('secret config fields are masked for viewers; an editor sending the mask keeps the value', async () => {
    const definition = build(
      {
        start: ['trigger_manual'],
        call: [
          'action_webhook',
          {
            url: 'https://example.com/hook',
            signing_secret: 'SIGNINGSECRET',
            headers: { Authorization: 'Bearer AUTHSECRET', 'X-Plain': 'visible' },
          },
        ],
      },
      ['start -> call'],
    );
    const id = await createWorkflow(t, owner, definition);
    assert.equal(
      (await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token: owner })).statusCode,
      200,
    );
    for (const [target, flags] of [
      ['viewer', { can_view: true }],
      ['editor', { can_view: true, can_edit: true }],
    ] as const) {
      const granted = await t.request({
        method: 'PUT',
        url: `/api/v1/workflows/${id}/permissions`,
        token: owner,
        payload: { permission_type: 'user', target_id: target, ...flags },
      });
      assert.equal(granted.statusCode, 200, granted.body);
    }
    const viewer = await t.token({ userId: 'viewer' });
    const editor = await t.token({ userId: 'editor' });
    type Config = { signing_secret: string; headers: Record<string, string> };
    const configAs = async (token: string, path = '') => {
      const response = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}${path}`, token });
      assert.equal(response.statusCode, 200, response.body);
      return json<Envelope<{ nodes: Record<string, { config: Config }> }>>(response).data.nodes.call.config;
    };
    for (const path of ['', '/versions/1']) {
      const seen = await configAs(viewer, path);
      assert.equal(seen.signing_secret, SECRET_MASK, path);
      assert.equal(seen.headers.Authorization, SECRET_MASK, path);
      assert.equal(seen.headers['X-Plain'], 'visible', path);
      assert.equal((await configAs(editor, path)).signing_secret, 'SIGNINGSECRET', path);
    }

    // The editor saves a form filled from a masked read: the stored secrets stay.
    const masked = await configAs(viewer);
    const saved = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token: editor,
      payload: {
        nodes: {
          ...definition.nodes,
          call: { node_type: 'action_webhook', config: { ...masked, url: 'https://example.com/other' } },
        },
      },
    });
    assert.equal(saved.statusCode, 200, saved.body);
    const after = await configAs(owner);
    assert.equal(after.signing_secret, 'SIGNINGSECRET');
    assert.equal(after.headers.Authorization, 'Bearer AUTHSECRET');
    assert.equal((after as Config & { url: string }).url, 'https://example.com/other');
  });
});
