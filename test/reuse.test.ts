/**
 * Export / import (a property test: lossless for random workflows over every node type), missing
 * credentials and sub-workflows on import, version restore, rerun and delete of executions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { nodeTypes } from '../src/nodes/registry.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import {
  createWorkflow,
  type Envelope,
  type Execution,
  executeWorkflow,
  publishWorkflow,
  waitForExecution,
  workflowBuilder,
} from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Reuse', entity_id: ENTITY_ID });
const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const text = fc.string({ maxLength: 40 }).filter((s) => !s.includes('{{') && !s.includes('\u0000'));

/** A config for each node type, from random pieces (every type is covered). */
function configArb(type: string, callee: string): fc.Arbitrary<Record<string, unknown>> {
  const rules = fc.record({ variable: word, operator: fc.constant('equals'), value: text }).map((r) => [r]);
  const byType: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
    trigger_command: fc.record({ command_name: word.map((w) => `!${w}`), user_cooldown_seconds: fc.nat(600) }),
    trigger_event: fc.record({
      event_type: word,
      event_filters: fc.dictionary(
        word.map((w) => `data.${w}`),
        text,
        { maxKeys: 2 },
      ),
    }),
    trigger_webhook: fc.constant({}),
    trigger_schedule: fc.record({
      cron: fc.constantFrom('0 * * * *', '*/5 * * * *', '@daily'),
      timezone: fc.constantFrom('UTC', 'Europe/Paris'),
    }),
    trigger_manual: fc.constant({}),
    condition_if: fc.record({ rules, match: fc.constantFrom('all', 'any') }),
    condition_switch: fc.record({
      variable: word,
      cases: fc.dictionary(word, fc.constantFrom('first', 'second'), { minKeys: 1, maxKeys: 3 }),
    }),
    condition_filter: fc.record({ input_array: word, rules }),
    action_chat_message: fc.record({ message: text.map((t) => `${t} {{ username }}`) }),
    action_webhook: fc.record({
      url: word.map((w) => `https://example.com/${w}`),
      headers: fc.constant({ Authorization: 'Bearer {{ $credentials.api.token }}' }),
    }),
    action_module: fc.record({ module_name: word }),
    action_browser_source: fc.record({ content: text }),
    action_delay: fc.record({ delay_ms: fc.nat(1000) }),
    action_workflow: fc.record({
      workflow_id: fc.constant(callee),
      input: fc.dictionary(word, text, { maxKeys: 3 }),
      wait: fc.boolean(),
    }),
    data_variable_set: fc.record({ variables: fc.dictionary(word, text, { minKeys: 1, maxKeys: 3 }) }),
    data_variable_get: fc.record({ variable_name: word }),
    data_transform: fc.record({
      transformations: fc.dictionary(word, fc.constantFrom('x + 1', '$count(items)'), { minKeys: 1, maxKeys: 2 }),
    }),
    loop_foreach: fc.record({ array_variable: word }),
    loop_while: fc.record({ rules }),
    loop_break: fc.constant({}),
    flow_parallel: fc.constant({}),
    flow_merge: fc.constant({}),
    flow_end: fc.record({ final_output: fc.dictionary(word, text, { maxKeys: 3 }) }),
  };
  const arb = byType[type];
  assert.ok(arb, `the property test knows node type ${type}`);
  return arb;
}

function definitionArb(callee: string, errorWorkflow: string) {
  const types = [...nodeTypes.keys()];
  return fc
    .record({
      picked: fc.shuffledSubarray(types, { minLength: 1 }),
      globals: fc.dictionary(
        word,
        fc.json().map((j) => JSON.parse(j) as unknown),
        { maxKeys: 4 },
      ),
      timeout: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
      withErrorWorkflow: fc.boolean(),
    })
    .chain(({ picked, globals, timeout, withErrorWorkflow }) =>
      fc
        .tuple(
          ...picked.map((type) =>
            fc.record({
              node_type: fc.constant(type),
              label: text,
              position: fc.record({
                x: fc.integer({ min: -2000, max: 2000 }),
                y: fc.integer({ min: -2000, max: 2000 }),
              }),
              config: configArb(type, callee),
              enabled: fc.boolean(),
            }),
          ),
        )
        .map((nodes) => {
          const ids = nodes.map((_, i) => `n${i}`);
          return {
            nodes: Object.fromEntries(nodes.map((node, i) => [ids[i], node])),
            connections: ids.slice(1).map((id, i) => ({
              connection_id: `c${i}`,
              from_node_id: ids[i],
              from_port_name: 'output',
              to_node_id: id,
              to_port_name: 'input',
            })),
            global_variables: globals,
            settings: {
              ...(timeout ? { timeout_seconds: timeout } : {}),
              ...(withErrorWorkflow ? { error_workflow_id: errorWorkflow } : {}),
            },
          };
        }),
    );
}

describe('export, import and history care', () => {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp();
    token = await t.token({ userId: 'owner', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  async function get(id: string) {
    const response = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token });
    assert.equal(response.statusCode, 200, response.body);
    return json<Envelope<Record<string, unknown>>>(response).data;
  }
  async function exportOf(id: string) {
    const response = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/export`, token });
    assert.equal(response.statusCode, 200, response.body);
    return json<Envelope<Record<string, unknown>>>(response).data;
  }
  async function importDoc(document: unknown, entityId = ENTITY_ID) {
    return t.request({
      method: 'POST',
      url: '/api/v1/workflows/import',
      token,
      payload: { entity_id: entityId, workflow: document },
    });
  }

  it('export → import is lossless for random workflows over every node type', async () => {
    const callee = await createWorkflow(t, token, { name: 'Callee', entity_id: ENTITY_ID });
    const onError = await createWorkflow(t, token, { name: 'On error', entity_id: ENTITY_ID });
    await fc.assert(
      fc.asyncProperty(definitionArb(callee, onError), async (definition) => {
        const id = await createWorkflow(t, token, { name: 'Random', entity_id: ENTITY_ID, ...definition });
        const exported = await exportOf(id);
        const text = JSON.stringify(exported);
        for (const instanceId of [id, callee, onError])
          assert.ok(!text.includes(instanceId), 'an instance id was exported');
        assert.equal(exported.format, 'workflow-core/1');
        const imported = await importDoc(exported);
        assert.equal(imported.statusCode, 201, imported.body);
        const copy = await get(json<Envelope<{ workflow_id: string }>>(imported).data.workflow_id);
        const original = await get(id);
        for (const field of ['name', 'description', 'nodes', 'connections', 'global_variables', 'settings']) {
          assert.deepEqual(copy[field], original[field], field);
        }
        assert.deepEqual(await exportOf(copy.workflow_id as string), exported);
      }),
      { numRuns: 25 },
    );
  });

  it('lists credentials by name, masks literal secrets, and reports what the target entity lacks', async () => {
    const callee = await createWorkflow(t, token, { name: 'Shared greeter', entity_id: ENTITY_ID });
    const id = await createWorkflow(
      t,
      token,
      workflow(
        {
          go: ['trigger_manual'],
          call: ['action_workflow', { workflow_id: callee }],
          hook: [
            'action_webhook',
            {
              url: 'https://example.com/x',
              signing_secret: 'literal-signing-secret',
              headers: { 'X-Key': '{{ $credentials.api.token }}' },
            },
          ],
        },
        ['go -> call', 'call -> hook'],
      ),
    );
    const exported = await exportOf(id);
    assert.deepEqual(exported.credentials, ['api']);
    assert.deepEqual(exported.workflows, [{ ref: 'workflow-1', name: 'Shared greeter' }]);
    assert.ok(!JSON.stringify(exported).includes('literal-signing-secret'));
    const other = await t.token({ userId: 'owner', entities: [ENTITY_ID, 777] });
    const imported = await t.request({
      method: 'POST',
      url: '/api/v1/workflows/import',
      token: other,
      payload: { entity_id: 777, workflow: exported },
    });
    assert.equal(imported.statusCode, 201, imported.body);
    const data =
      json<
        Envelope<{
          status: string;
          missing_credentials: string[];
          missing_workflows: string[];
          validation: { is_valid: boolean };
        }>
      >(imported).data;
    assert.equal(data.status, 'draft');
    assert.deepEqual(data.missing_credentials, ['api']);
    assert.deepEqual(data.missing_workflows, ['Shared greeter']);
    assert.equal(data.validation.is_valid, false);
    const outsider = await importDoc(exported, 999);
    assert.equal(outsider.statusCode, 403);
  });

  it('restores a version as the working copy (audited)', async () => {
    const id = await publishWorkflow(
      t,
      token,
      workflow({ go: ['trigger_manual'], end: ['flow_end', { final_output: { v: 'one' } }] }, ['go -> end']),
    );
    const edited = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token,
      payload: { name: 'Edited', nodes: { go: { node_type: 'trigger_manual' } }, connections: [] },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    const restored = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/versions/1/restore`, token });
    assert.equal(restored.statusCode, 200, restored.body);
    const now = await get(id);
    assert.equal(now.name, 'Reuse');
    assert.deepEqual((now.nodes as Record<string, { config: unknown }>).end.config, { final_output: { v: 'one' } });
    assert.equal(now.has_unpublished_changes, false);
    const audit = await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/audit`, token });
    assert.ok(
      json<Envelope<{ action: string; details: unknown }[]>>(audit).data.some((row) => row.action === 'restored'),
    );
    const missing = await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/versions/9/restore`, token });
    assert.equal(missing.statusCode, 404);
  });

  it('reruns an execution on the latest version with the same data, and deletes executions', async () => {
    const id = await publishWorkflow(
      t,
      token,
      workflow({ go: ['trigger_manual'], end: ['flow_end', { final_output: { said: 'v1 {{ who }}' } }] }, [
        'go -> end',
      ]),
    );
    const first = await executeWorkflow(t, token, id, { variables: { who: 'Ann' }, wait_for_completion: true });
    const firstRun = json<Envelope<Execution>>(first).data;
    await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token,
      payload: {
        nodes: {
          go: { node_type: 'trigger_manual' },
          end: { node_type: 'flow_end', config: { final_output: { said: 'v2 {{ who }}' } } },
        },
      },
    });
    assert.equal((await t.request({ method: 'POST', url: `/api/v1/workflows/${id}/publish`, token })).statusCode, 200);
    const rerun = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/executions/${firstRun.execution_id}/rerun`,
      token,
    });
    assert.equal(rerun.statusCode, 202, rerun.body);
    const started = json<Envelope<{ execution_id: string; rerun_of: string }>>(rerun).data;
    assert.equal(started.rerun_of, firstRun.execution_id);
    const second = await waitForExecution<Execution & { rerun_of: string; workflow_version: number }>(
      t,
      token,
      started.execution_id,
    );
    assert.deepEqual(second.final_output, { said: 'v2 Ann' });
    assert.equal(second.rerun_of, firstRun.execution_id);
    assert.equal(second.workflow_version, 2);

    const deleted = await t.request({
      method: 'DELETE',
      url: `/api/v1/workflows/executions/${firstRun.execution_id}`,
      token,
    });
    assert.equal(deleted.statusCode, 200, deleted.body);
    const gone = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/executions/${firstRun.execution_id}`,
      token,
    });
    assert.equal(gone.statusCode, 404);
    const viewer = await t.token({ userId: 'viewer' });
    await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}/permissions`,
      token,
      payload: { permission_type: 'user', target_id: 'viewer', can_view: true, can_execute: true },
    });
    const refused = await t.request({
      method: 'DELETE',
      url: `/api/v1/workflows/executions/${second.execution_id}`,
      token: viewer,
    });
    assert.equal(refused.statusCode, 403);
  });
});
