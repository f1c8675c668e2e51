/**
 * action_workflow (wait, no-wait, error port, parent links, cancel propagation, depth and
 * cycles, can_execute at publish) and error workflows, through the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { until } from './helpers/polling.ts';
import {
  createWorkflow,
  type Envelope,
  type Execution,
  executeWorkflow,
  publishWorkflow,
  readExecution,
  waitForExecution,
  workflowBuilder,
} from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Reuse', entity_id: ENTITY_ID });
type Row = Execution & { parent_execution_id: string | null; parent_node_id: string | null };

describe('sub-workflows and error workflows', () => {
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp({ MAX_WORKFLOW_DEPTH: '3' });
    token = await t.token({ userId: 'owner', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  async function runsOf(workflowId: string): Promise<Row[]> {
    const listed = await t.request({
      method: 'GET',
      url: `/api/v1/workflows/${workflowId}/executions?community_id=1`,
      token,
    });
    const rows = json<Envelope<{ execution_id: string }[]>>(listed).data;
    return Promise.all(rows.map((row) => readExecution(t, token, row.execution_id) as Promise<Row>));
  }

  async function run(workflowId: string, variables: Record<string, unknown> = {}): Promise<Execution> {
    const executed = await executeWorkflow(t, token, workflowId, {
      variables,
      wait_for_completion: true,
      timeout_seconds: 20,
    });
    assert.equal(executed.statusCode, 200, executed.body);
    return json<Envelope<Execution>>(executed).data;
  }

  const greeter = () =>
    workflow({ go: ['trigger_manual'], end: ['flow_end', { final_output: { greeting: 'hi {{ name }}' } }] }, [
      'go -> end',
    ]);

  it('waits for the child: its final_output is the output, and the child records its parent', async () => {
    const child = await publishWorkflow(t, token, greeter());
    const parent = await publishWorkflow(
      t,
      token,
      workflow(
        {
          go: ['trigger_manual'],
          call: ['action_workflow', { workflow_id: child, input: { name: '{{ who }}' } }],
          end: ['flow_end', { final_output: { got: '{{ nodes.call.output.greeting }}' } }],
        },
        ['go -> call', 'call -> end'],
      ),
    );
    const finished = await run(parent, { who: 'Ann' });
    assert.equal(finished.status, 'completed', finished.error_message ?? '');
    assert.deepEqual(finished.final_output, { got: 'hi Ann' });
    const [childRun] = await runsOf(child);
    assert.equal(childRun.parent_execution_id, finished.execution_id);
    assert.equal(childRun.parent_node_id, 'call');
    assert.equal(childRun.trigger_source, 'workflow');
  });

  it('does not wait when wait is false, and a failed child takes the error port', async () => {
    const child = await publishWorkflow(t, token, greeter());
    const failing = await publishWorkflow(
      t,
      token,
      workflow({ go: ['trigger_manual'], end: ['flow_end', { status: 'failed', error_message: 'no luck' }] }, [
        'go -> end',
      ]),
    );
    const parent = await publishWorkflow(
      t,
      token,
      workflow(
        {
          go: ['trigger_manual'],
          fire: ['action_workflow', { workflow_id: child, wait: false, input: { name: 'Bo' } }],
          call: ['action_workflow', { workflow_id: failing }],
          ok: ['flow_end', { final_output: { path: 'ok' } }],
          bad: [
            'flow_end',
            {
              final_output: {
                path: 'error',
                why: '{{ error.message }}',
                started: '{{ nodes.fire.output.execution_id }}',
              },
            },
          ],
        },
        ['go -> fire', 'fire -> call', 'call -> ok', 'call:error -> bad'],
      ),
    );
    const finished = await run(parent);
    assert.equal(finished.status, 'completed', finished.error_message ?? '');
    assert.equal(finished.final_output?.path, 'error');
    assert.match(String(finished.final_output?.why), /ended failed: no luck/);
    const started = String(finished.final_output?.started);
    const childRun = await waitForExecution(t, token, started);
    assert.equal(childRun.status, 'completed');
    assert.deepEqual(childRun.final_output, { greeting: 'hi Bo' });
  });

  it('cancelling the parent cancels the children it is waiting for and the ones it left running', async () => {
    const slow = await publishWorkflow(
      t,
      token,
      workflow({ go: ['trigger_manual'], wait: ['action_delay', { delay_ms: 60_000 }] }, ['go -> wait']),
    );
    const parent = await publishWorkflow(
      t,
      token,
      workflow(
        {
          go: ['trigger_manual'],
          fire: ['action_workflow', { workflow_id: slow, wait: false }],
          call: ['action_workflow', { workflow_id: slow }],
        },
        ['go -> fire', 'fire -> call'],
      ),
    );
    const executed = await executeWorkflow(t, token, parent, {});
    assert.equal(executed.statusCode, 202);
    const parentId = json<Envelope<{ execution_id: string }>>(executed).data.execution_id;
    const children = await until('both children running', async () => {
      const rows = await runsOf(slow);
      return rows.length === 2 && rows.every((row) => row.status === 'running') ? rows : undefined;
    });
    const cancelled = await t.request({
      method: 'POST',
      url: `/api/v1/workflows/executions/${parentId}/cancel`,
      token,
    });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    for (const child of children) {
      assert.equal(child.parent_execution_id, parentId);
      const ended = await waitForExecution(t, token, child.execution_id);
      assert.equal(ended.status, 'cancelled');
    }
    assert.equal((await waitForExecution(t, token, parentId)).status, 'cancelled');
  });

  it('stops nesting at MAX_WORKFLOW_DEPTH, so a cycle of calls fails with that limit', async () => {
    const self = await createWorkflow(t, token, workflow({ go: ['trigger_manual'] }, []));
    const updated = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${self}`,
      token,
      payload: (({ nodes, connections }) => ({ nodes, connections }))(
        workflow({ go: ['trigger_manual'], again: ['action_workflow', { workflow_id: self }] }, ['go -> again']),
      ),
    });
    assert.equal(updated.statusCode, 200, updated.body);
    const published = await t.request({ method: 'POST', url: `/api/v1/workflows/${self}/publish`, token });
    assert.equal(published.statusCode, 200, published.body);
    const finished = await run(self);
    assert.equal(finished.status, 'failed');
    assert.match(String(finished.error_message), /MAX_WORKFLOW_DEPTH \(3\)/);
    // The top run and three nested ones: the fourth call was refused.
    assert.equal((await runsOf(self)).length, 4);
  });

  it('publishing needs can_execute on the called workflow', async () => {
    const child = await publishWorkflow(t, token, greeter());
    const parent = await createWorkflow(
      t,
      token,
      workflow({ go: ['trigger_manual'], call: ['action_workflow', { workflow_id: child }] }, ['go -> call']),
    );
    const editor = await t.token({ userId: 'editor', entities: [ENTITY_ID] });
    const grant = (workflowId: string, flags: Record<string, boolean>) =>
      t.request({
        method: 'PUT',
        url: `/api/v1/workflows/${workflowId}/permissions`,
        token,
        payload: { permission_type: 'user', target_id: 'editor', can_view: true, ...flags },
      });
    assert.equal((await grant(parent, { can_edit: true })).statusCode, 200);
    const refused = await t.request({ method: 'POST', url: `/api/v1/workflows/${parent}/publish`, token: editor });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(json<Envelope>(refused).error?.code, 'PERMISSION_DENIED');
    assert.match(json<Envelope>(refused).error?.message ?? '', /can_execute/);
    assert.equal((await grant(child, { can_execute: true })).statusCode, 200);
    const allowed = await t.request({ method: 'POST', url: `/api/v1/workflows/${parent}/publish`, token: editor });
    assert.equal(allowed.statusCode, 200, allowed.body);

    const elsewhere = await createWorkflow(
      t,
      token,
      workflow(
        { go: ['trigger_manual'], call: ['action_workflow', { workflow_id: '00000000-0000-4000-8000-000000000001' }] },
        ['go -> call'],
      ),
    );
    const validated = await t.request({ method: 'POST', url: `/api/v1/workflows/${elsewhere}/validate`, token });
    assert.match(
      json<Envelope<{ errors: string[] }>>(validated).data.errors.join('\n'),
      /does not exist in this entity/,
    );
  });

  it('a failed run starts the error workflow with what failed; its own failure starts nothing', async () => {
    const never = await publishWorkflow(t, token, greeter());
    const handler = await createWorkflow(
      t,
      token,
      workflow(
        {
          go: ['trigger_manual'],
          note: ['data_variable_set', { variables: { seen: '{{ trigger }}' } }],
          end: ['flow_end', { status: 'failed', error_message: 'handler failed too' }],
        },
        ['go -> note', 'note -> end'],
        { settings: { error_workflow_id: never } },
      ),
    );
    assert.equal(
      (await t.request({ method: 'POST', url: `/api/v1/workflows/${handler}/publish`, token })).statusCode,
      200,
    );
    const failing = await publishWorkflow(
      t,
      token,
      workflow(
        { go: ['trigger_manual'], boom: ['flow_end', { status: 'failed', error_message: 'it broke' }] },
        ['go -> boom'],
        { name: 'Breaks', settings: { error_workflow_id: handler } },
      ),
    );
    const finished = await run(failing);
    assert.equal(finished.status, 'failed');
    const [handled] = await until('the error workflow run', async () => {
      const rows = await runsOf(handler);
      return rows.length === 1 && rows[0].status === 'failed' ? rows : undefined;
    });
    assert.equal(handled.trigger_source, 'error');
    assert.deepEqual(handled.final_variables.seen, {
      execution_id: finished.execution_id,
      workflow_id: failing,
      workflow_name: 'Breaks',
      error_message: 'it broke',
      error_node_id: 'boom',
      trigger_source: 'api',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await runsOf(never)).length, 0);
    assert.equal((await runsOf(handler)).length, 1);
  });
});
