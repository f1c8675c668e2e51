import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { runExecution } from './run.ts';

describe('runExecution: loops', () => {
  it('foreach runs the body once per element with item/index, then continues at done', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        fe: ['loop_foreach', { array_variable: 'items' }],
        b: ['step'],
        i: ['step', { read: 'index' }],
        after: ['step'],
      },
      ['t -> fe', 'fe:loop -> b', 'b -> i', 'i -> fe', 'fe:done -> after'],
    );
    const result = await runExecution(request(def, { variables: { items: [10, 20, 30] } }), fakeDeps());
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.execution_path, ['t', 'fe', 'b', 'i', 'b', 'i', 'b', 'i', 'after']);
    assert.equal(result.node_states.b.runs, 3);
    assert.equal(result.node_states.b.input_data, 30, 'the body gets the element as input');
    assert.equal(result.node_states.i.output_data, 2, 'index of the last element');
    assert.deepEqual(result.node_states.after.input_data, { count: 3 });
    assert.equal(result.final_variables.item, undefined, 'loop variables do not outlive the loop');
    assert.equal(result.final_variables.index, undefined);
  });

  it('an empty foreach skips its body and continues at done', async () => {
    const def = workflow(
      { t: ['trigger_manual'], fe: ['loop_foreach', { array_variable: 'items' }], b: ['step'], after: ['step'] },
      ['t -> fe', 'fe:loop -> b', 'fe:done -> after'],
    );
    const result = await runExecution(request(def, { variables: { items: [] } }), fakeDeps());
    assert.deepEqual(result.execution_path, ['t', 'fe', 'after']);
    assert.equal(result.node_states.b.status, 'skipped');
  });

  it('while re-evaluates before every iteration', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        w: ['loop_while', { variable: 'n', less_than: 3 }],
        inc: ['increment', { variable: 'n' }],
        after: ['step'],
      },
      ['t -> w', 'w:loop -> inc', 'inc -> w', 'w:done -> after'],
    );
    const result = await runExecution(request(def, { variables: { n: 0 } }), fakeDeps());
    assert.equal(result.final_variables.n, 3);
    assert.equal(result.node_states.inc.runs, 3);
    assert.equal(result.node_states.w.runs, 4, 'three true evaluations and the final false one');
    assert.deepEqual(result.node_states.after.input_data, { proceed: false });
  });

  it('loop_break ends the innermost loop, which continues at done', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        fe: ['loop_foreach', { array_variable: 'items' }],
        is3: ['condition_if', { variable: 'item', equals: 3 }],
        brk: ['loop_break'],
        work: ['step'],
        after: ['step'],
      },
      ['t -> fe', 'fe:loop -> is3', 'is3:true -> brk', 'is3:false -> work', 'fe:done -> after'],
    );
    const result = await runExecution(request(def, { variables: { items: [1, 2, 3, 4, 5] } }), fakeDeps());
    assert.equal(result.status, 'completed');
    assert.equal(result.node_states.work.runs, 2);
    assert.equal(result.node_states.brk.status, 'completed');
    assert.equal(result.node_states.after.status, 'completed');
    assert.deepEqual(result.execution_path.slice(-3), ['is3', 'brk', 'after']);
  });

  it('nested loops: break ends only the inner loop and the outer item comes back after it', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        outer: ['loop_foreach', { array_variable: 'rows' }],
        inner: ['loop_foreach', { array_variable: 'cells' }],
        count: ['increment', { variable: 'seen' }],
        is2: ['condition_if', { variable: 'item', equals: 2 }],
        brk: ['loop_break'],
        back: ['step', { read: 'item' }],
      },
      [
        't -> outer',
        'outer:loop -> inner',
        'inner:loop -> count',
        'count -> is2',
        'is2:true -> brk',
        'inner:done -> back',
      ],
    );
    const result = await runExecution(request(def, { variables: { rows: ['a', 'b'], cells: [1, 2, 3] } }), fakeDeps());
    assert.equal(result.status, 'completed');
    assert.equal(result.final_variables.seen, 4, 'each inner loop stops at its second cell');
    assert.equal(result.node_states.back.runs, 2, 'the outer loop ran both rows');
    assert.equal(result.node_states.back.output_data, 'b', 'the outer item is restored after the inner loop');
  });

  it('max_iterations (capped by MAX_LOOP_ITERATIONS) fails the run naming the limit', async () => {
    const def = workflow(
      { t: ['trigger_manual'], fe: ['loop_foreach', { array_variable: 'items', max_iterations: 3 }], b: ['step'] },
      ['t -> fe', 'fe:loop -> b'],
    );
    const own = await runExecution(request(def, { variables: { items: [1, 2, 3, 4] } }), fakeDeps());
    assert.equal(own.status, 'failed');
    assert.equal(own.limit, 'max_loop_iterations');
    assert.equal(own.error_node_id, 'fe');
    assert.match(own.error_message ?? '', /max_iterations/);
    assert.equal(own.node_states.b.status, 'pending');

    const capped = await runExecution(
      request(def, { variables: { items: [1, 2, 3] } }),
      fakeDeps({ limits: { maxLoopIterations: 2 } }),
    );
    assert.equal(capped.status, 'failed');
    assert.match(capped.error_message ?? '', /MAX_LOOP_ITERATIONS = 2/);

    const spin = workflow(
      {
        t: ['trigger_manual'],
        w: ['loop_while', { variable: 'n', less_than: 100, max_iterations: 5 }],
        inc: ['increment', { variable: 'n' }],
      },
      ['t -> w', 'w:loop -> inc'],
    );
    const endless = await runExecution(request(spin, { variables: { n: 0 } }), fakeDeps());
    assert.equal(endless.status, 'failed');
    assert.equal(endless.limit, 'max_loop_iterations');
    assert.equal(endless.node_states.inc.runs, 5);
  });

  it('nesting deeper than MAX_LOOP_DEPTH fails the run', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        l1: ['loop_foreach', { array_variable: 'xs' }],
        l2: ['loop_foreach', { array_variable: 'xs' }],
        b: ['step'],
      },
      ['t -> l1', 'l1:loop -> l2', 'l2:loop -> b'],
    );
    const result = await runExecution(
      request(def, { variables: { xs: [1] } }),
      fakeDeps({ limits: { maxLoopDepth: 1 } }),
    );
    assert.equal(result.status, 'failed');
    assert.equal(result.limit, 'max_loop_depth');
    assert.equal(result.error_node_id, 'l2');
    assert.match(result.error_message ?? '', /MAX_LOOP_DEPTH/);
  });

  it('a 10,000-item foreach keeps one bounded record per node', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ id: i, text: `item ${i}` }));
    const def = workflow(
      {
        t: ['trigger_manual'],
        fe: ['loop_foreach', { array_variable: 'items', max_iterations: 10_000 }],
        a: ['step', { log: 'seen' }],
        b: ['increment'],
      },
      ['t -> fe', 'fe:loop -> a', 'a -> b', 'b -> fe'],
    );
    const deps = fakeDeps({ limits: { maxLoopIterations: 10_000, maxTotalOperations: 30_000 } });
    const result = await runExecution(request(def, { variables: { items } }), deps);
    assert.equal(result.status, 'completed');
    assert.equal(result.node_states.a.runs, 10_000);
    assert.equal(result.final_variables.counter, 10_000);
    assert.deepEqual(result.node_states.a.input_data, { id: 9999, text: 'item 9999' });
    assert.ok(result.node_states.a.logs.length <= 100, 'logs are bounded');
    assert.match(result.node_states.a.logs[0], /earlier log lines dropped/);
    assert.ok(JSON.stringify(result.node_states).length < 20_000, 'node states do not grow with iterations');
    assert.equal(result.execution_path.length, 2 + 20_000);
  });
});
