/**
 * Walks every route with every kind of caller and checks the status and error code that the
 * route's declared access rule implies. A route added without a sample request here fails the
 * walk, so no route escapes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { PERMISSION_FLAGS, type PermissionFlag } from '../src/core/permissions.ts';
import type { Access } from '../src/http/access.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID, greetingWorkflow } from './helpers/fixtures.ts';
import { until } from './helpers/polling.ts';

interface Fixture {
  readonly workflowId: string;
  /** An execution of the workflow, for samples that set `needsExecution`. */
  readonly executionId: string;
  /** A webhook of the workflow (unsigned, generous limit), for samples that set `needsWebhook`. */
  readonly webhookId: string;
  readonly webhookToken: string;
  /** A credential of ENTITY_ID, for samples that set `needsCredential`. */
  readonly credentialId: string;
}

interface Sample {
  url(f: Fixture): string;
  body?: unknown;
  /** true: an execution of the fixture workflow; 'running': one that sits in a delay; 'finished': one that ended. */
  needsExecution?: boolean | 'running' | 'finished';
  needsWebhook?: boolean;
  needsCredential?: boolean;
}

const SAMPLES: Record<string, Sample> = {
  'GET /health': { url: () => '/health' },
  'GET /api/v1/status': { url: () => '/api/v1/status' },
  'GET /metrics': { url: () => '/metrics' },
  'GET /docs': { url: () => '/docs' },
  'GET /*': { url: (f) => `/workflows/${f.workflowId}` },
  'GET /docs/openapi.json': { url: () => '/docs/openapi.json' },
  'GET /docs/json': { url: () => '/docs/json' },
  'GET /docs/yaml': { url: () => '/docs/yaml' },
  'GET /docs/static/index.html': { url: () => '/docs/static/index.html' },
  'GET /docs/static/swagger-initializer.js': { url: () => '/docs/static/swagger-initializer.js' },
  'GET /docs/static/*': { url: () => '/docs/static/swagger-ui.css' },
  'GET /api/v1/workflows/node-types': { url: () => '/api/v1/workflows/node-types' },
  'POST /api/v1/workflows': { url: () => '/api/v1/workflows', body: greetingWorkflow() },
  'GET /api/v1/workflows': { url: () => `/api/v1/workflows?entity_id=${ENTITY_ID}` },
  'GET /api/v1/workflows/:workflow_id': { url: (f) => `/api/v1/workflows/${f.workflowId}` },
  'PUT /api/v1/workflows/:workflow_id': { url: (f) => `/api/v1/workflows/${f.workflowId}`, body: { name: 'Renamed' } },
  'DELETE /api/v1/workflows/:workflow_id': { url: (f) => `/api/v1/workflows/${f.workflowId}` },
  'POST /api/v1/workflows/:workflow_id/validate': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/validate`,
    body: {},
  },
  'POST /api/v1/workflows/:workflow_id/publish': { url: (f) => `/api/v1/workflows/${f.workflowId}/publish`, body: {} },
  'GET /api/v1/workflows/:workflow_id/versions': { url: (f) => `/api/v1/workflows/${f.workflowId}/versions` },
  'GET /api/v1/workflows/:workflow_id/versions/:version': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/versions/1`,
  },
  'GET /api/v1/workflows/:workflow_id/audit': { url: (f) => `/api/v1/workflows/${f.workflowId}/audit` },
  'GET /api/v1/workflows/:workflow_id/schedules': { url: (f) => `/api/v1/workflows/${f.workflowId}/schedules` },
  'GET /api/v1/workflows/:workflow_id/stats': { url: (f) => `/api/v1/workflows/${f.workflowId}/stats?hours=24` },
  'GET /api/v1/workflows/:workflow_id/permissions': { url: (f) => `/api/v1/workflows/${f.workflowId}/permissions` },
  'PUT /api/v1/workflows/:workflow_id/permissions': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/permissions`,
    body: { permission_type: 'user', target_id: '777', can_view: true },
  },
  'DELETE /api/v1/workflows/:workflow_id/permissions/:permission_type/:target_id': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/permissions/role/fixture-role`,
  },
  'POST /api/v1/workflows/:workflow_id/execute': { url: (f) => `/api/v1/workflows/${f.workflowId}/execute`, body: {} },
  'POST /api/v1/workflows/:workflow_id/test': { url: (f) => `/api/v1/workflows/${f.workflowId}/test`, body: {} },
  'GET /api/v1/workflows/:workflow_id/executions': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/executions?community_id=456`,
  },
  'GET /api/v1/workflows/executions/:execution_id': {
    url: (f) => `/api/v1/workflows/executions/${f.executionId}`,
    needsExecution: true,
  },
  'POST /api/v1/workflows/executions/:execution_id/cancel': {
    url: (f) => `/api/v1/workflows/executions/${f.executionId}/cancel`,
    needsExecution: 'running',
  },
  'POST /api/v1/workflows/events': {
    url: () => '/api/v1/workflows/events',
    body: { type: 'command', entity_id: ENTITY_ID, platform: 'twitch', user_id: 'u1', message: '!test' },
  },
  'GET /api/v1/workflows/executions/:execution_id/events': {
    url: (f) => `/api/v1/workflows/executions/${f.executionId}/events`,
    needsExecution: true,
  },
  'GET /api/v1/workflows/:workflow_id/webhooks': { url: (f) => `/api/v1/workflows/${f.workflowId}/webhooks` },
  'POST /api/v1/workflows/:workflow_id/webhooks': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/webhooks`,
    body: { name: 'Sample' },
  },
  'PATCH /api/v1/workflows/:workflow_id/webhooks/:webhook_id': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/webhooks/${f.webhookId}`,
    body: { enabled: true },
    needsWebhook: true,
  },
  'DELETE /api/v1/workflows/:workflow_id/webhooks/:webhook_id': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/webhooks/${f.webhookId}`,
    needsWebhook: true,
  },
  'POST /api/v1/workflows/:workflow_id/webhooks/:webhook_id/rotate-secret': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/webhooks/${f.webhookId}/rotate-secret`,
    needsWebhook: true,
  },
  'POST /api/v1/credentials': {
    url: () => '/api/v1/credentials',
    body: () => ({
      entity_id: ENTITY_ID,
      name: `walk_${Math.random().toString(36).slice(2)}`,
      type: 'api_key',
      fields: { token: 'walk-secret-value' },
    }),
  },
  'GET /api/v1/credentials': { url: () => `/api/v1/credentials?entity_id=${ENTITY_ID}` },
  'GET /api/v1/credentials/:credential_id': {
    url: (f) => `/api/v1/credentials/${f.credentialId}`,
    needsCredential: true,
  },
  'PUT /api/v1/credentials/:credential_id': {
    url: (f) => `/api/v1/credentials/${f.credentialId}`,
    body: { description: 'changed' },
    needsCredential: true,
  },
  'DELETE /api/v1/credentials/:credential_id': {
    url: (f) => `/api/v1/credentials/${f.credentialId}`,
    needsCredential: true,
  },
  'GET /api/v1/workflows/:workflow_id/export': { url: (f) => `/api/v1/workflows/${f.workflowId}/export` },
  'POST /api/v1/workflows/import': {
    url: () => '/api/v1/workflows/import',
    body: () => ({
      entity_id: ENTITY_ID,
      workflow: { format: 'workflow-core/1', name: 'Imported', nodes: greetingWorkflow().nodes, connections: [] },
    }),
  },
  'GET /api/v1/workflows/templates': { url: () => '/api/v1/workflows/templates' },
  'POST /api/v1/workflows/:workflow_id/versions/:version/restore': {
    url: (f) => `/api/v1/workflows/${f.workflowId}/versions/1/restore`,
  },
  'POST /api/v1/workflows/executions/:execution_id/rerun': {
    url: (f) => `/api/v1/workflows/executions/${f.executionId}/rerun`,
    needsExecution: true,
  },
  'DELETE /api/v1/workflows/executions/:execution_id': {
    url: (f) => `/api/v1/workflows/executions/${f.executionId}`,
    needsExecution: 'finished',
  },
  'POST /api/v1/workflows/webhooks/:token': {
    url: (f) => `/api/v1/workflows/webhooks/${f.webhookToken}`,
    body: {},
    needsWebhook: true,
  },
};

type Flags = ReadonlySet<PermissionFlag>;
interface Caller {
  readonly name: string;
  /** undefined: the token is bad or absent, so every protected route is 401. */
  readonly flags?: Flags;
  readonly valid: boolean;
  readonly scopes?: string;
  /** The token lists ENTITY_ID among its entities. */
  readonly member?: boolean;
  token(t: TestApp): Promise<string | undefined>;
  grant?: { permission_type: 'user' | 'role' | 'entity'; target_id: string; flags: Flags };
}

const ALL: Flags = new Set(PERMISSION_FLAGS);
const none: Flags = new Set();

function grantee(name: string, flags: PermissionFlag[], via: 'user' | 'role' | 'entity' = 'user'): Caller {
  const set = new Set(flags);
  const userId = `grantee-${name}`;
  return {
    name,
    flags: set,
    valid: true,
    member: via === 'entity',
    grant: {
      permission_type: via,
      target_id: via === 'user' ? userId : via === 'role' ? 'moderators' : String(ENTITY_ID),
      flags: set,
    },
    token: (t) =>
      t.token({ userId, roles: via === 'role' ? ['moderators'] : [], entities: via === 'entity' ? [ENTITY_ID] : [] }),
  };
}

function badToken(name: string, make: (t: TestApp) => Promise<string | undefined>): Caller {
  return { name, valid: false, token: make };
}

const CALLERS: Caller[] = [
  badToken('no token', async () => undefined),
  badToken('expired token', async (t) =>
    new SignJWT({ user_id: '42' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(t.secret)),
  ),
  badToken('alg none', async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'none', typ: 'JWT' })}.${part({ user_id: '42', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
  }),
  badToken('wrong key', async () =>
    new SignJWT({ user_id: '42' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-key-'.repeat(4))),
  ),
  { name: 'owner', flags: ALL, valid: true, member: true, token: (t) => t.token({ userId: '42' }) },
  { name: 'stranger', flags: none, valid: true, token: (t) => t.token({ userId: 'stranger', entities: [999] }) },
  {
    name: 'entity member without entity grant',
    flags: none,
    valid: true,
    member: true,
    token: (t) => t.token({ userId: 'member', entities: [ENTITY_ID] }),
  },
  grantee('view only', ['can_view']),
  ...PERMISSION_FLAGS.filter((f) => f !== 'can_view').flatMap((flag) => [
    grantee(`view+${flag}`, ['can_view', flag]),
    grantee(`${flag} without view`, [flag]),
  ]),
  grantee('role grant', [...PERMISSION_FLAGS], 'role'),
  grantee('entity grant', [...PERMISSION_FLAGS], 'entity'),
  {
    name: 'entity grant, token not in entity',
    flags: none,
    valid: true,
    grant: { permission_type: 'entity', target_id: String(ENTITY_ID), flags: ALL },
    token: (t) => t.token({ userId: 'outsider', entities: [1] }),
  },
];

function expectation(route: string, access: Access, caller: Caller): { status: 'ok' | number; code?: string } {
  if (access.kind === 'public') return { status: 'ok' };
  if (!caller.valid) return { status: 401, code: 'UNAUTHORIZED' };
  // Tenants: the sample creates its workflow in ENTITY_ID.
  if (route === 'POST /api/v1/workflows' && !caller.member) return { status: 403, code: 'FORBIDDEN' };
  if (access.kind === 'authenticated') return { status: 'ok' };
  if (access.kind === 'dispatch')
    return caller.scopes?.includes('workflows:dispatch') ? { status: 'ok' } : { status: 403, code: 'FORBIDDEN' };
  if (access.kind === 'entity') return caller.member ? { status: 'ok' } : { status: 403, code: 'FORBIDDEN' };
  if (access.kind === 'credential') return caller.member ? { status: 'ok' } : { status: 404, code: 'NOT_FOUND' };
  const flags = caller.flags ?? none;
  const notFound = access.kind === 'execution' ? 'EXECUTION_NOT_FOUND' : 'WORKFLOW_NOT_FOUND';
  if (!flags.has('can_view')) return { status: 404, code: notFound };
  if (!flags.has(access.permission)) return { status: 403, code: 'PERMISSION_DENIED' };
  return { status: 'ok' };
}

describe('every route × every kind of caller', () => {
  let t: TestApp;
  let ownerToken: string;
  let credentials = 0;

  before(async () => {
    t = await createTestApp();
    ownerToken = await t.token({ userId: '42' });
  });
  after(() => t.close());

  async function fixtureFor(
    caller: Caller,
    needsExecution: boolean | 'running' | 'finished' = false,
    needsWebhook = false,
    needsCredential = false,
  ): Promise<Fixture> {
    const definition = greetingWorkflow();
    if (needsWebhook) {
      // A webhook starts only trigger_webhook nodes.
      Object.assign(definition.nodes, { hook: { node_type: 'trigger_webhook' } });
      definition.connections.push({
        connection_id: 'conn_hook',
        from_node_id: 'hook',
        from_port_name: 'output',
        to_node_id: 'node2',
        to_port_name: 'input',
      });
    }
    if (needsExecution === 'running') {
      Object.assign(definition.nodes, { wait: { node_type: 'action_delay', config: { delay_ms: 60_000 } } });
      definition.connections.push({
        connection_id: 'conn2',
        from_node_id: 'node2',
        from_port_name: 'output',
        to_node_id: 'wait',
        to_port_name: 'input',
      });
    }
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/workflows',
      token: ownerToken,
      payload: definition,
    });
    const workflowId = json<{ data: { workflow_id: string } }>(created).data.workflow_id;
    const publish = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/${workflowId}/publish`,
      token: ownerToken,
    });
    assert.equal(publish.statusCode, 200, publish.body);
    const grants = [{ permission_type: 'role', target_id: 'fixture-role', can_view: true }];
    if (caller.grant) {
      grants.push({
        permission_type: caller.grant.permission_type,
        target_id: caller.grant.target_id,
        ...Object.fromEntries(PERMISSION_FLAGS.map((f) => [f, caller.grant?.flags.has(f) ?? false])),
      } as (typeof grants)[number]);
    }
    for (const grant of grants) {
      const response = await t.request({
        method: 'PUT',
        url: `/api/v1/workflows/${workflowId}/permissions`,
        token: ownerToken,
        payload: grant,
      });
      assert.equal(response.statusCode, 200, response.body);
    }
    let executionId = '00000000-0000-4000-8000-000000000000';
    if (needsExecution) {
      const executed = await t.request({
        method: 'POST',
        url: `/api/v1/workflows/${workflowId}/execute`,
        token: ownerToken,
        payload: {},
      });
      assert.equal(executed.statusCode, 202, executed.body);
      executionId = json<{ data: { execution_id: string } }>(executed).data.execution_id;
      if (needsExecution === 'finished') {
        await until('the fixture execution to end', async () => {
          const read = await t.request({
            method: 'GET',
            url: `/api/v1/workflows/executions/${executionId}`,
            token: ownerToken,
          });
          return ['completed', 'failed'].includes(json<{ data: { status: string } }>(read).data.status)
            ? true
            : undefined;
        });
      }
    }
    let webhookId = '00000000-0000-4000-8000-000000000000';
    let webhookToken = 'no-webhook';
    if (needsWebhook) {
      const made = await t.request({
        method: 'POST',
        url: `/api/v1/workflows/${workflowId}/webhooks`,
        token: ownerToken,
        payload: { name: 'Fixture', require_signature: false, rate_limit_max: 1000 },
      });
      assert.equal(made.statusCode, 201, made.body);
      ({ webhook_id: webhookId, token: webhookToken } = json<{ data: { webhook_id: string; token: string } }>(
        made,
      ).data);
    }
    let credentialId = '00000000-0000-4000-8000-000000000000';
    if (needsCredential) {
      const made = await t.request({
        method: 'POST',
        url: '/api/v1/credentials',
        token: await t.token({ userId: 'admin', scope: 'workflows:admin' }),
        payload: { entity_id: ENTITY_ID, name: `c${++credentials}`, type: 'api_key', fields: { token: 'secret-x' } },
      });
      assert.equal(made.statusCode, 201, made.body);
      credentialId = json<{ data: { credential_id: string } }>(made).data.credential_id;
    }
    return { workflowId, executionId, webhookId, webhookToken, credentialId };
  }

  it('has a sample request for every registered route', () => {
    const missing = t.app.http.routeAccessTable.map((r) => `${r.method} ${r.url}`).filter((key) => !SAMPLES[key]);
    assert.deepEqual(missing, []);
  });

  it('answers each caller as the route access rule says', async () => {
    const failures: string[] = [];
    for (const route of t.app.http.routeAccessTable) {
      const sample = SAMPLES[`${route.method} ${route.url}`];
      if (!sample) continue;
      for (const caller of CALLERS) {
        const fixture = await fixtureFor(caller, sample.needsExecution, sample.needsWebhook, sample.needsCredential);
        const token = await caller.token(t);
        const response = await t.request({
          method: route.method as 'GET',
          url: sample.url(fixture),
          token,
          ...(sample.body !== undefined
            ? { payload: (typeof sample.body === 'function' ? sample.body() : sample.body) as object }
            : {}),
        });
        const expected = expectation(`${route.method} ${route.url}`, route.access, caller);
        const label = `${route.method} ${route.url} as ${caller.name}`;
        if (expected.status === 'ok') {
          if (response.statusCode >= 400)
            failures.push(`${label}: expected success, got ${response.statusCode} ${response.body.slice(0, 200)}`);
        } else if (
          response.statusCode !== expected.status ||
          json<{ error?: { code: string } }>(response).error?.code !== expected.code
        ) {
          failures.push(
            `${label}: expected ${expected.status} ${expected.code}, got ${response.statusCode} ${response.body.slice(0, 200)}`,
          );
        }
      }
    }
    assert.deepEqual(failures, []);
  });
});
