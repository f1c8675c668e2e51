import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';

describe('health, status, metrics, docs, node types', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('health reports the database and the module', async () => {
    const response = await t.request({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 200);
    const body = json<{
      success: boolean;
      data: { healthy: boolean; module: string; checks: Record<string, { healthy: boolean }> };
    }>(response);
    assert.equal(body.success, true);
    assert.equal(body.data.healthy, true);
    assert.equal(body.data.module, 'workflow_core_module');
    assert.equal(body.data.checks.database.healthy, true);
  });

  it('health reports Redis when configured, and answers 503 when a dependency is down', async () => {
    const up = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:6379' });
    try {
      const body = json<{ data: { checks: Record<string, { healthy: boolean }> } }>(
        await up.request({ method: 'GET', url: '/health' }),
      );
      assert.equal(body.data.checks.redis.healthy, true);
    } finally {
      await up.close();
    }
    // Nothing listens on port 1: the Redis check fails and health says so.
    const down = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await down.request({ method: 'GET', url: '/health' });
      assert.equal(response.statusCode, 503);
      const body = json<{ success: boolean; data: { healthy: boolean; checks: Record<string, { healthy: boolean }> } }>(
        response,
      );
      assert.equal(body.data.healthy, false);
      assert.equal(body.data.checks.redis.healthy, false);
      assert.equal(body.data.checks.database.healthy, true);
    } finally {
      await down.close();
    }
  });

  it('status answers as the reference shows, plus the queue: this process is its one worker', async () => {
    const body = json(await t.request({ method: 'GET', url: '/api/v1/status' }));
    assert.deepEqual(body, {
      success: true,
      data: {
        status: 'operational',
        module: 'workflow_core_module',
        version: '1.0.0',
        features: { workflows_enabled: true, release_mode: false },
        queue: { backend: 'local', waiting: 0, running: 0, workers: 1 },
      },
    });
  });

  it('metrics are Prometheus text with HTTP latency by route', async () => {
    await t.request({ method: 'GET', url: '/api/v1/status' });
    const response = await t.request({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /text\/plain/);
    assert.match(response.body, /http_request_duration_seconds_bucket\{.*route="\/api\/v1\/status"/);
    assert.match(response.body, /^workflow_queue_depth 0$/m);
  });

  it('docs are OpenAPI 3.1 generated from the request schemas', async () => {
    const doc = json<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { required?: string[]; properties: Record<string, unknown> } }>;
            };
          }
        >
      >;
    }>(await t.request({ method: 'GET', url: '/docs/openapi.json' }));
    assert.equal(doc.openapi, '3.1.0');
    const create = doc.paths['/api/v1/workflows'].post.requestBody?.content['application/json'].schema;
    assert.deepEqual(create?.required?.sort(), ['entity_id', 'name']);
    assert.ok(create?.properties.global_variables);
    assert.ok(doc.paths['/api/v1/workflows/{workflow_id}/publish']);
  });

  it('lists every node type with its config schema and ports', async () => {
    const token = await t.token({ userId: 'u' });
    const body = json<{
      data: Array<{ node_type: string; config_schema: { type: string }; output_ports: unknown; input_ports: string[] }>;
    }>(await t.request({ method: 'GET', url: '/api/v1/workflows/node-types', token }));
    const types = body.data.map((n) => n.node_type).sort();
    assert.equal(types.length, 23);
    for (const expected of ['trigger_command', 'condition_if', 'loop_foreach', 'flow_end', 'action_webhook']) {
      assert.ok(types.includes(expected), expected);
    }
    const conditionIf = body.data.find((n) => n.node_type === 'condition_if');
    assert.deepEqual(conditionIf?.output_ports, ['true', 'false']);
    assert.deepEqual(conditionIf?.input_ports, ['input']);
    assert.deepEqual(body.data.find((n) => n.node_type === 'trigger_manual')?.input_ports, []);
    assert.equal(body.data.find((n) => n.node_type === 'action_delay')?.config_schema.type, 'object');
  });
});
