/**
 * The OpenAPI document (GET /docs/openapi.json) and the interactive reference (GET /docs): the
 * document is valid OpenAPI 3.1, covers every route with summaries, tags, success and error
 * answers, marks public routes and optional parameters as such, types node configs per node type,
 * and its examples hold to their schemas; the reference is served by us, no CDN, no inline script.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import { nodeTypes } from '../src/nodes/registry.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { greetingWorkflow } from './helpers/fixtures.ts';
import { isPageRoute, loadDocument, type OpenApiDocument, operationOf } from './helpers/openapi.ts';
import { shapeProblems } from './helpers/reference.ts';

const addFormats: FormatsPlugin =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ?? (formatsModule as unknown as FormatsPlugin);

/** JSON Pointer segment */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

describe('OpenAPI document and /docs', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  before(async () => {
    t = await createTestApp();
    document = await loadDocument(t);
  });
  after(() => t.close());

  it('validates against the OpenAPI 3.1 schema', async () => {
    const validator = new Validator();
    const result = await validator.validate(
      structuredClone(document) as unknown as Parameters<Validator['validate']>[0],
    );
    assert.equal(validator.version, '3.1');
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
  });

  it('documents every route: summary, description or tags, a success answer with a schema, and its error answers', () => {
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const route of t.app.http.routeAccessTable) {
      if (isPageRoute(route.url)) continue;
      const label = `${route.method} ${route.url}`;
      const operation = operationOf(document, route.method, route.url);
      if (!operation) {
        problems.push(`${label} is not in the document`);
        continue;
      }
      if (!operation.summary) problems.push(`${label} has no summary`);
      if (!operation.tags?.length) problems.push(`${label} has no tag`);
      if (!operation.operationId || ids.has(operation.operationId))
        problems.push(`${label}: operationId missing or taken`);
      ids.add(operation.operationId ?? '');
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((status) => status.startsWith('2'));
      if (success.length === 0) problems.push(`${label} documents no success answer`);
      for (const status of statuses) {
        const answer = operation.responses[status];
        if (!answer.content || Object.values(answer.content).some((media) => !media.schema))
          problems.push(`${label} ${status} has no schema`);
        if (answer.description === 'Default Response') problems.push(`${label} ${status} has no description`);
      }
      if (!statuses.includes('500')) problems.push(`${label} does not document 500`);
      if (route.access.kind !== 'public' && !statuses.includes('401')) problems.push(`${label} does not document 401`);
      const envelope = operation.responses['500']?.content?.['application/json']?.schema as
        | { properties?: { error?: unknown } }
        | undefined;
      if (!envelope?.properties?.error) problems.push(`${label} 500 is not the error envelope`);
    }
    assert.deepEqual(problems, []);
  });

  it('gives public routes no security requirement and every other route the bearer token', () => {
    for (const route of t.app.http.routeAccessTable) {
      if (isPageRoute(route.url)) continue;
      const operation = operationOf(document, route.method, route.url);
      const label = `${route.method} ${route.url}`;
      if (route.access.kind === 'public') assert.deepEqual(operation?.security, [], label);
      else assert.equal(operation?.security, undefined, `${label} inherits the document's bearer security`);
    }
    assert.deepEqual((document as unknown as { security: unknown }).security, [{ bearer: [] }]);
    for (const url of ['/api/v1/workflows/webhooks/{token}', '/health', '/docs/openapi.json']) {
      const [operation] = Object.values(document.paths[url]);
      assert.deepEqual(operation.security, [], url);
    }
  });

  it('shows parameters with a default as optional', () => {
    const list = operationOf(document, 'GET', '/api/v1/workflows/:workflow_id/executions');
    const required = Object.fromEntries((list?.parameters ?? []).map((p) => [p.name, p.required ?? false]));
    assert.deepEqual(required, {
      workflow_id: true,
      community_id: true,
      status: false,
      trigger_source: false,
      sort_by: false,
      sort_order: false,
      include_test: false,
      page: false,
      per_page: false,
    });
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const parameter of operation.parameters ?? []) {
          if (parameter.schema.default !== undefined)
            assert.notEqual(parameter.required, true, `${method} ${path} ${parameter.name}`);
        }
      }
    }
  });

  it('requires a body only where it has required fields (execute takes an empty one)', async () => {
    const execute = operationOf(document, 'POST', '/api/v1/workflows/:workflow_id/execute');
    assert.equal(execute?.requestBody?.required, false);
    assert.equal(operationOf(document, 'POST', '/api/v1/workflows/:workflow_id/publish')?.requestBody?.required, false);
    assert.equal(operationOf(document, 'POST', '/api/v1/workflows')?.requestBody?.required, true);
    const trigger = operationOf(document, 'POST', '/api/v1/workflows/webhooks/:token');
    assert.ok(trigger?.requestBody?.content['application/json'], 'the webhook trigger documents its JSON body');
  });

  it('documents the answers the reference names: 201 create, 202 execute, 200 execute with wait', () => {
    assert.ok(operationOf(document, 'POST', '/api/v1/workflows')?.responses['201']);
    const execute = operationOf(document, 'POST', '/api/v1/workflows/:workflow_id/execute');
    for (const status of ['200', '202', '409', '504']) assert.ok(execute?.responses[status], status);
    assert.ok(operationOf(document, 'POST', '/api/v1/workflows/events')?.responses['202']);
    const events = operationOf(document, 'GET', '/api/v1/workflows/executions/:execution_id/events');
    assert.ok(events?.responses['200'].content?.['text/event-stream']);
  });

  it('types node config per node type: a oneOf on node_type from the registry', () => {
    const node = document.components.schemas.WorkflowNode as {
      oneOf: Array<{ $ref: string }>;
      discriminator: { propertyName: string; mapping: Record<string, string> };
    };
    assert.equal(node.discriminator.propertyName, 'node_type');
    assert.deepEqual(Object.keys(node.discriminator.mapping).sort(), [...nodeTypes.keys()].sort());
    assert.equal(node.oneOf.length, nodeTypes.size);
    const command = document.components.schemas.Node_trigger_command as {
      properties: { node_type: { const: string }; config: { required: string[] } };
      required: string[];
    };
    assert.equal(command.properties.node_type.const, 'trigger_command');
    assert.deepEqual(command.properties.config.required, ['command_name']);
    assert.deepEqual(command.required, ['node_type', 'config']);
    const create = operationOf(document, 'POST', '/api/v1/workflows')?.requestBody?.content['application/json']
      .schema as {
      properties: { nodes: { additionalProperties: { $ref: string } } };
    };
    assert.equal(create.properties.nodes.additionalProperties.$ref, '#/components/schemas/WorkflowNode');
  });

  it('holds every example to its schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema(document as object, 'openapi.json');
    const problems: string[] = [];
    let examples = 0;
    const check = (label: string, where: string[], example: unknown) => {
      examples++;
      const validate = ajv.compile({ $ref: `openapi.json#/${where.map(pointer).join('/')}` });
      if (!validate(example)) problems.push(`${label}: ${ajv.errorsText(validate.errors)}`);
    };
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const label = `${method.toUpperCase()} ${path}`;
        const body = operation.requestBody?.content['application/json'];
        if (body?.example !== undefined)
          check(
            `${label} request`,
            ['paths', path, method, 'requestBody', 'content', 'application/json', 'schema'],
            body.example,
          );
        for (const [status, answer] of Object.entries(operation.responses)) {
          const media = answer.content?.['application/json'];
          if (media?.example !== undefined)
            check(
              `${label} ${status}`,
              ['paths', path, method, 'responses', status, 'content', 'application/json', 'schema'],
              media.example,
            );
        }
      }
    }
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      for (const example of (schema.examples as unknown[] | undefined) ?? [])
        check(`components.schemas.${name}`, ['components', 'schemas', name], example);
    }
    assert.deepEqual(problems, []);
    assert.ok(examples >= 50, `only ${examples} examples`);
  });

  it('shows the answers the service really gives for its example requests', async () => {
    const token = await t.token({ userId: '42', entities: [123] });
    const createOperation = operationOf(document, 'POST', '/api/v1/workflows');
    const request = createOperation?.requestBody?.content['application/json'].example;
    assert.deepEqual(request, greetingWorkflow(), "the create example is the tests' fixture");
    const created = await t.request({ method: 'POST', url: '/api/v1/workflows', token, payload: request as object });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(
      shapeProblems(createOperation?.responses['201'].content?.['application/json'].example, json(created)),
      [],
    );
    const id = json<{ data: { workflow_id: string } }>(created).data.workflow_id;
    const calls: Array<[string, string, string, object | undefined]> = [
      ['POST', '/api/v1/workflows/:workflow_id/validate', `/api/v1/workflows/${id}/validate`, undefined],
      ['POST', '/api/v1/workflows/:workflow_id/publish', `/api/v1/workflows/${id}/publish`, undefined],
      ['GET', '/api/v1/workflows/:workflow_id', `/api/v1/workflows/${id}`, undefined],
      ['GET', '/api/v1/workflows', '/api/v1/workflows?entity_id=123', undefined],
      ['POST', '/api/v1/workflows/:workflow_id/test', `/api/v1/workflows/${id}/test`, undefined],
      ['POST', '/api/v1/workflows/:workflow_id/execute', `/api/v1/workflows/${id}/execute`, undefined],
    ];
    for (const [method, route, url] of calls) {
      const operation = operationOf(document, method, route);
      const payload = operation?.requestBody?.content['application/json'].example as object | undefined;
      const answer = await t.request({ method: method as 'GET', url, token, ...(payload ? { payload } : {}) });
      const status = String(answer.statusCode);
      const example = operation?.responses[status]?.content?.['application/json']?.example;
      assert.ok(example, `${method} ${route} answered ${status}, which has no example: ${answer.body.slice(0, 300)}`);
      assert.deepEqual(shapeProblems(example, json(answer)), [], `${method} ${route}`);
    }
  });

  it('serves an interactive reference at /docs from our own assets, without inline scripts', async () => {
    const page = await t.request({ method: 'GET', url: '/docs' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    const csp = page.headers['content-security-policy'] as string;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /https?:/);
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 3);
    for (const [, attributes, content] of scripts) {
      assert.match(attributes, /src="/, 'every script is a file');
      assert.equal(content.trim(), '', 'no inline script');
    }
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    assert.ok(assets.length >= 5);
    for (const asset of assets) {
      assert.doesNotMatch(asset, /^(https?:)?\/\//, `${asset} is served by us`);
      const url = new URL(asset, 'http://localhost/docs').pathname;
      const response = await t.request({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
    }
    const initializer = await t.request({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    assert.match(initializer.body, /validatorUrl: null/, 'no call to the public validator');
    const served = await t.request({ method: 'GET', url: '/docs/json' });
    assert.deepEqual(json(served), document, 'the UI reads the same document');
  });
});
