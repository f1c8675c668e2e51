/**
 * `include_timeline=true` on a stored execution: one span per node run attempt, loop iterations
 * apart, kept through the database on both dialects; absent unless asked for.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, json, type TestApp } from './helpers/app.ts';
import { ENTITY_ID } from './helpers/fixtures.ts';
import { type Envelope, executeAndWait, workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Loop', entity_id: ENTITY_ID });

type Span = {
  node_id: string;
  run: number;
  attempt: number;
  lane: number;
  start_ms: number;
  end_ms: number;
  status: string;
};

describe('execution timeline', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner', entities: [ENTITY_ID] });
  });
  after(() => t.close());

  it('answers the spans of every run with include_timeline=true', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        each: ['loop_foreach', { array_variable: 'items' }],
        body: ['data_variable_set', { variables: { seen: '{{ item }}' } }],
        end: ['flow_end'],
      },
      ['start -> each', 'each:loop -> body', 'body -> each', 'each:done -> end'],
    );
    const run = await executeAndWait(t, owner, definition, { variables: { items: [1, 2, 3, 4, 5] } });
    assert.equal(run.status, 'completed');
    const url = `/api/v1/workflows/executions/${run.execution_id}`;
    const plain = json<Envelope>(await t.request({ method: 'GET', url, token: owner })).data;
    assert.equal(plain.timeline, undefined);
    const read = await t.request({ method: 'GET', url: `${url}?include_timeline=true`, token: owner });
    assert.equal(read.statusCode, 200, read.body);
    const { spans, dropped } = json<Envelope<{ timeline: { spans: Span[]; dropped: number } }>>(read).data.timeline;
    assert.equal(dropped, 0);
    const body = spans.filter((s) => s.node_id === 'body');
    assert.deepEqual(
      body.map((s) => s.run),
      [1, 2, 3, 4, 5],
    );
    assert.ok(body.every((s) => s.status === 'completed' && s.end_ms >= s.start_ms && s.lane === 0));
    assert.deepEqual(
      spans.map((s) => s.node_id),
      run.execution_path,
    );
  });
});
