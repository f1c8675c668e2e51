import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { runExecution } from './run.ts';

describe('runExecution: walking, scope and branches', () => {
  it('runs a chain from the trigger and records path, states and counters', async () => {
    const def = workflow({ t: ['trigger_manual'], a: ['step', { output: { v: 1 } }], b: ['step'] }, [
      't -> a',
      'a -> b',
    ]);
    const result = await runExecution(request(def, { triggerData: { user: 'ann' } }), fakeDeps());
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.execution_path, ['t', 'a', 'b']);
    assert.equal(result.node_states.t.status, 'completed');
    assert.deepEqual(result.node_states.t.input_data, { user: 'ann' });
    assert.deepEqual(result.node_states.b.input_data, { v: 1 });
    assert.deepEqual(result.node_states.b.output_data, { v: 1 });
    assert.equal(typeof result.node_states.a.started_at, 'string');
    assert.equal(typeof result.node_states.a.completed_at, 'string');
    assert.equal(result.node_states.a.runs, undefined);
    assert.deepEqual(result.counters, { nodes_executed: 3, nodes_failed: 0, nodes_skipped: 0, retries: 0 });
    assert.equal(result.error_message, null);
    assert.ok(result.node_durations_ms.a >= 0);
  });

  it('builds one scope: globals, then trigger data (also under trigger), then variables; node outputs under nodes', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        a: ['step', { output: { deep: 'yes' } }],
        check: ['condition_if', { variable: 'nodes.a.output.deep', equals: 'yes' }],
        ok: ['step'],
      },
      ['t -> a', 'a -> check', 'check:true -> ok'],
      { globals: { x: 'g', y: 'g', z: 'g' } },
    );
    const result = await runExecution(
      request(def, { triggerData: { y: 't', z: 't' }, variables: { z: 'v' } }),
      fakeDeps(),
    );
    assert.equal(result.node_states.ok.status, 'completed');
    assert.equal(result.final_variables.x, 'g');
    assert.equal(result.final_variables.y, 't');
    assert.equal(result.final_variables.z, 'v');
    assert.deepEqual(result.final_variables.trigger, { y: 't', z: 't' });
    assert.equal(result.final_variables.nodes, undefined, 'node outputs live in node_states, not final_variables');
    assert.deepEqual(def.global_variables, { x: 'g', y: 'g', z: 'g' }, 'the definition is never written to');
  });

  it('marks the untaken side of a condition skipped, all the way down', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        if: ['condition_if', { variable: 'flag', equals: true }],
        a: ['step'],
        a2: ['step'],
        b: ['step'],
        b2: ['step'],
      },
      ['t -> if', 'if:true -> a', 'a -> a2', 'if:false -> b', 'b -> b2'],
    );
    const result = await runExecution(request(def, { variables: { flag: true } }), fakeDeps());
    assert.deepEqual(result.execution_path, ['t', 'if', 'a', 'a2']);
    assert.equal(result.node_states.b.status, 'skipped');
    assert.equal(result.node_states.b2.status, 'skipped');
    assert.equal(result.counters.nodes_skipped, 2);
  });

  it('flow_merge waits for the live branches only and runs once', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        if: ['condition_if', { variable: 'flag', equals: true }],
        a: ['step', { output: 'A' }],
        b: ['step'],
        m: ['flow_merge'],
        after: ['step'],
      },
      ['t -> if', 'if:true -> a', 'if:false -> b', 'a -> m', 'b -> m', 'm -> after'],
    );
    const result = await runExecution(request(def, { variables: { flag: true } }), fakeDeps());
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.execution_path, ['t', 'if', 'a', 'm', 'after']);
    assert.deepEqual(result.node_states.m.input_data, { a: 'A' });
    assert.equal(result.node_states.b.status, 'skipped');
  });

  it('flow_merge joins two live branches after both arrive', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        a: ['step', { output: 1 }],
        b: ['step', { output: 2 }],
        m: ['flow_merge'],
        after: ['step'],
      },
      ['t -> a', 't -> b', 'a -> m', 'b -> m', 'm -> after'],
    );
    const result = await runExecution(request(def), fakeDeps());
    assert.deepEqual(result.execution_path, ['t', 'a', 'b', 'm', 'after']);
    assert.deepEqual(result.node_states.m.input_data, { a: 1, b: 2 });
  });

  it('flow_merge never hangs on branches that cannot come (other trigger, disabled node path, all skipped)', async () => {
    const def = workflow(
      {
        t1: ['trigger_manual'],
        t2: ['trigger_command'],
        a: ['step'],
        b: ['step'],
        m: ['flow_merge'],
        after: ['step'],
        if: ['condition_if', { variable: 'nope', equals: 1 }],
        x: ['step'],
        m2: ['flow_merge'],
        after2: ['step'],
      },
      [
        't1 -> a',
        't2 -> b',
        'a -> m',
        'b -> m',
        'm -> after',
        't1 -> if',
        'if:true -> x',
        'x -> m2',
        'if:true -> m2',
        'm2 -> after2',
      ],
    );
    const result = await runExecution(request(def, { triggerNodeIds: ['t1'] }), fakeDeps());
    assert.equal(result.status, 'completed');
    assert.equal(result.node_states.after.status, 'completed');
    assert.equal(result.node_states.b.status, 'skipped');
    assert.equal(result.node_states.m2.status, 'skipped', 'a merge whose branches are all dead is skipped');
    assert.equal(result.node_states.after2.status, 'skipped');
  });

  it('input_ports_required N fires on the first N live branches and ignores later ones', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        a: ['step'],
        b: ['step'],
        m: ['flow_merge', { input_ports_required: 1 }],
        after: ['step'],
      },
      ['t -> a', 't -> b', 'a -> m', 'b -> m', 'm -> after'],
    );
    const result = await runExecution(request(def), fakeDeps());
    assert.deepEqual(result.execution_path, ['t', 'a', 'm', 'after', 'b']);
    assert.ok(result.node_states.m.logs.some((line) => line.includes('ignored a token from "b"')));
  });

  it('a node reached twice on one path runs twice; a skip waits for a pending token before passing', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        if: ['condition_if', { variable: 'flag', equals: true }],
        x: ['step'],
        y: ['step'],
        w: ['step'],
        z: ['step'],
        m: ['flow_merge'],
        c: ['step'],
      },
      [
        't -> if',
        't -> z',
        'if:true -> x',
        'if:false -> y',
        'x -> w',
        'y -> w',
        'w -> m',
        'z -> m',
        't -> c',
        'z -> c',
      ],
    );
    const result = await runExecution(request(def, { variables: { flag: true } }), fakeDeps());
    assert.equal(result.node_states.y.status, 'skipped');
    assert.equal(result.node_states.w.status, 'completed');
    assert.equal(result.node_states.m.runs, undefined, 'the merge ran once');
    assert.deepEqual(Object.keys(result.node_states.m.input_data as object).sort(), ['w', 'z']);
    assert.equal(result.node_states.c.runs, 2, 'c is reached from t and from z');
    assert.equal(result.execution_path.filter((id) => id === 'c').length, 2);
  });

  it('a disabled node passes its input through; a disabled connection carries nothing', async () => {
    const def = workflow(
      { t: ['trigger_manual'], d: ['step', { output: 'replaced' }, { enabled: false }], e: ['step'], f: ['step'] },
      ['t -> d', 'd -> e', 'e -> f!'],
    );
    const result = await runExecution(request(def, { triggerData: { keep: 1 } }), fakeDeps());
    assert.deepEqual(result.node_states.e.input_data, { keep: 1 });
    assert.ok(result.node_states.d.logs.some((line) => line.includes('disabled')));
    assert.equal(result.node_states.f.status, 'skipped');
    assert.deepEqual(result.execution_path, ['t', 'd', 'e']);
  });

  it('flow_end sets final_output; a failed end fails the run with its message', async () => {
    const ok = workflow({ t: ['trigger_manual'], end: ['flow_end', { final_output: { answer: 42 } }] }, ['t -> end']);
    const done = await runExecution(request(ok), fakeDeps());
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.final_output, { answer: 42 });

    const bad = workflow(
      { t: ['trigger_manual'], end: ['flow_end', { status: 'failed', error_message: 'no luck' }], later: ['step'] },
      ['t -> end', 't -> later'],
    );
    const failed = await runExecution(request(bad), fakeDeps());
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error_message, 'no luck');
    assert.equal(failed.error_node_id, 'end');
    assert.equal(failed.node_states.later.status, 'pending', 'nothing runs after a failed end');
  });

  it('fails clearly on an unknown node type or a missing trigger', async () => {
    const def = workflow({ t: ['trigger_manual'], odd: ['no_such_type'] }, ['t -> odd']);
    const result = await runExecution(request(def), fakeDeps());
    assert.equal(result.status, 'failed');
    assert.equal(result.error_node_id, 'odd');
    assert.match(result.error_message ?? '', /Unknown node type "no_such_type"/);

    const missing = await runExecution(request(def, { triggerNodeIds: ['ghost'] }), fakeDeps());
    assert.equal(missing.status, 'failed');
    assert.match(missing.error_message ?? '', /ghost/);
  });
});
