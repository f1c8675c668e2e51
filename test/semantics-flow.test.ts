/**
 * @module test/semantics-flow
 * PRODUCT.md section 5, walking the graph, end to end through the HTTP API and the real database
 * (TEST_DATABASE=sqlite|postgres): branch skips, merge of the live branches only, concurrent
 * flow_parallel, sequential fan-out, loops with break and nesting, flow_end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { COMMUNITY_ID, ENTITY_ID } from './helpers/fixtures.ts';
import { runWorkflow, workflowBuilder } from './helpers/workflows.ts';

const workflow = workflowBuilder({ name: 'Semantics', entity_id: ENTITY_ID, community_id: COMMUNITY_ID });

const at = (iso: string | null): number => Date.parse(iso ?? 'invalid');

describe('semantics: walking the graph', () => {
  let t: TestApp;
  let owner: string;
  const run = (definition: object, variables?: Record<string, unknown>) => runWorkflow(t, owner, definition, variables);

  before(async () => {
    t = await createTestApp();
    owner = await t.token({ userId: 'owner' });
  });
  after(() => t.close());

  it('the untaken side of a condition is skipped, and the skip travels on behind it', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        check: ['condition_if', { rules: [{ variable: 'score', operator: 'greater_than', value: 10 }] }],
        high: ['data_variable_set', { variables: { band: 'high' } }],
        high_next: ['data_variable_set', { variables: { high_seen: true } }],
        low: ['data_variable_set', { variables: { band: 'low' } }],
        low_next: ['data_variable_set', { variables: { low_seen: true } }],
      },
      ['start -> check', 'check:true -> high', 'high -> high_next', 'check:false -> low', 'low -> low_next'],
    );
    const high = await run(definition, { score: 42 });
    assert.equal(high.status, 'completed');
    assert.deepEqual(high.execution_path, ['start', 'check', 'high', 'high_next']);
    assert.equal(high.node_states.low.status, 'skipped');
    assert.equal(high.node_states.low_next.status, 'skipped', 'the skip travels past the first node');
    assert.equal(high.metrics.nodes_skipped, 2);
    assert.equal(high.final_variables.band, 'high');
    assert.equal(high.final_variables.low_seen, undefined);

    const low = await run(definition, { score: 3 });
    assert.deepEqual(low.execution_path, ['start', 'check', 'low', 'low_next']);
    assert.equal(low.node_states.high_next.status, 'skipped');
    assert.equal(low.final_variables.band, 'low');
  });

  it('condition_switch takes the port of the matching case, else the default port', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        route: ['condition_switch', { variable: 'platform', cases: { twitch: 'purple', discord: 'blurple' } }],
        purple: ['data_variable_set', { variables: { color: 'purple' } }],
        blurple: ['data_variable_set', { variables: { color: 'blurple' } }],
        other: ['data_variable_set', { variables: { color: 'none' } }],
      },
      ['start -> route', 'route:purple -> purple', 'route:blurple -> blurple', 'route:default -> other'],
    );
    const discord = await run(definition, { platform: 'discord' });
    assert.deepEqual(discord.execution_path, ['start', 'route', 'blurple']);
    assert.equal(discord.final_variables.color, 'blurple');
    assert.equal(discord.node_states.purple.status, 'skipped');
    assert.equal(discord.node_states.other.status, 'skipped');
    const unknown = await run(definition, { platform: 'irc' });
    assert.deepEqual(unknown.execution_path, ['start', 'route', 'other']);
  });

  it('flow_merge waits for the live branches only: after a condition it runs once, without hanging', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        check: ['condition_if', { rules: [{ variable: 'vip', operator: 'equals', value: true }] }],
        vip: ['data_variable_set', { variables: { greeting: 'welcome back' } }],
        normal: ['data_variable_set', { variables: { greeting: 'hello' } }],
        join: ['flow_merge'],
        done: ['flow_end', { final_output: { greeting: '{{ greeting }}' } }],
      },
      ['start -> check', 'check:true -> vip', 'check:false -> normal', 'vip -> join', 'normal -> join', 'join -> done'],
    );
    const result = await run(definition, { vip: false });
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.execution_path, ['start', 'check', 'normal', 'join', 'done']);
    assert.equal(result.node_states.vip.status, 'skipped');
    assert.equal(result.node_states.join.status, 'completed');
    assert.equal(result.node_states.join.runs ?? 1, 1);
    assert.deepEqual(result.final_output, { greeting: 'hello' });
  });

  it('flow_parallel runs its branches concurrently and the merge joins both once', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        fork: ['flow_parallel'],
        slow_a: ['action_delay', { delay_ms: 300 }],
        slow_b: ['action_delay', { delay_ms: 300 }],
        join: ['flow_merge'],
        after: ['data_variable_set', { variables: { joined: true } }],
      },
      ['start -> fork', 'fork -> slow_a', 'fork -> slow_b', 'slow_a -> join', 'slow_b -> join', 'join -> after'],
    );
    const result = await run(definition);
    assert.equal(result.status, 'completed');
    const a = result.node_states.slow_a;
    const b = result.node_states.slow_b;
    assert.ok(at(b.started_at) < at(a.completed_at), `B started (${b.started_at}) before A ended (${a.completed_at})`);
    assert.ok(at(a.started_at) < at(b.completed_at), 'and A started before B ended');
    const join = result.node_states.join;
    assert.equal(join.runs ?? 1, 1, 'the merge runs once for both branches');
    assert.ok(at(join.started_at) >= Math.max(at(a.completed_at), at(b.completed_at)), 'after both branches');
    assert.deepEqual(Object.keys(join.input_data as object).sort(), ['slow_a', 'slow_b']);
    assert.deepEqual(result.execution_path.slice(-2), ['join', 'after']);
  });

  it('without flow_parallel, fan-out is sequential in connection order', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        first: ['action_delay', { delay_ms: 150 }],
        second: ['action_delay', { delay_ms: 150 }],
        join: ['flow_merge'],
      },
      ['start -> first', 'start -> second', 'first -> join', 'second -> join'],
    );
    const result = await run(definition);
    assert.equal(result.status, 'completed');
    const first = result.node_states.first;
    const second = result.node_states.second;
    assert.ok(
      at(second.started_at) >= at(first.started_at) + 150,
      "the second branch starts after the first one's delay",
    );
    assert.deepEqual(result.execution_path, ['start', 'first', 'second', 'join']);
  });

  it('a node reached twice on one path runs twice (runs: 2); a merge would run once', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        left: ['data_transform', { transformations: { hits: '$exists(hits) ? hits + 1 : 1' } }],
        right: ['data_transform', { transformations: { hits: 'hits + 10' } }],
        count: ['data_transform', { transformations: { counted: '$exists(counted) ? counted + 1 : 1' } }],
      },
      ['start -> left', 'start -> right', 'left -> count', 'right -> count'],
    );
    const result = await run(definition);
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.execution_path, ['start', 'left', 'count', 'right', 'count']);
    assert.equal(result.node_states.count.runs, 2);
    assert.equal(result.final_variables.counted, 2);
    assert.equal(result.final_variables.hits, 11);
  });

  it('a disabled node passes its input through and a disabled connection carries nothing', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        off: ['data_variable_set', { variables: { touched: true } }, { enabled: false }],
        next: ['data_variable_set', { variables: { reached: true } }],
        cut: ['data_variable_set', { variables: { cut_reached: true } }],
      },
      ['start -> off', 'off -> next'],
    );
    definition.connections.push({
      from_node_id: 'start',
      from_port_name: 'output',
      to_node_id: 'cut',
      to_port_name: 'input',
      enabled: false,
    } as (typeof definition.connections)[number]);
    const result = await run(definition);
    assert.equal(result.status, 'completed');
    assert.equal(result.final_variables.touched, undefined, 'the disabled node did not run its config');
    assert.equal(result.final_variables.reached, true);
    assert.equal(result.final_variables.cut_reached, undefined);
    assert.ok(!result.execution_path.includes('cut'));
  });

  it('loop_foreach runs the body per element with item and index, then continues at done', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        each: ['loop_foreach', { array_variable: 'viewers', item_variable: 'viewer', index_variable: 'i' }],
        add: ['data_transform', { transformations: { names: "names & (i = 0 ? '' : ',') & viewer.name" } }],
        after: ['flow_end', { final_output: { names: '{{ names }}', count: '{{ nodes.each.output.count }}' } }],
      },
      ['start -> each', 'each:loop -> add', 'add -> each', 'each:done -> after'],
    );
    const result = await run(definition, { names: '', viewers: [{ name: 'ana' }, { name: 'bo' }, { name: 'cy' }] });
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.deepEqual(result.execution_path, ['start', 'each', 'add', 'add', 'add', 'after']);
    assert.equal(result.node_states.add.runs, 3);
    assert.deepEqual(result.final_output, { names: 'ana,bo,cy', count: 3 });
    assert.equal(result.final_variables.viewer, undefined, 'loop variables do not outlive the loop');
    assert.equal(result.final_variables.i, undefined);
  });

  it('an empty foreach skips its body and goes on at done', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        each: ['loop_foreach', { array_variable: 'items' }],
        body: ['data_variable_set', { variables: { body_ran: true } }],
        after: ['data_variable_set', { variables: { after_ran: true } }],
      },
      ['start -> each', 'each:loop -> body', 'each:done -> after'],
    );
    const result = await run(definition, { items: [] });
    assert.deepEqual(result.execution_path, ['start', 'each', 'after']);
    assert.equal(result.node_states.body.status, 'skipped');
    assert.equal(result.final_variables.after_ran, true);
  });

  it('loop_while re-checks its condition before every iteration', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        loop: ['loop_while', { rules: [{ variable: 'n', operator: 'less_than', value: 4 }] }],
        inc: ['data_transform', { transformations: { n: 'n + 1' } }],
        after: ['data_variable_set', { variables: { finished: '{{ n }}' } }],
      },
      ['start -> loop', 'loop:loop -> inc', 'inc -> loop', 'loop:done -> after'],
    );
    const result = await run(definition, { n: 1 });
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.equal(result.node_states.inc.runs, 3);
    assert.equal(result.node_states.loop.runs, 4, 'three true checks and the final false one');
    assert.equal(result.final_variables.finished, 4);
  });

  it('loop_break ends the loop, which continues at done', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        each: ['loop_foreach', { array_variable: 'items' }],
        work: ['data_transform', { transformations: { sum: 'sum + item' } }],
        stop: ['loop_break', { rules: [{ variable: 'item', operator: 'greater_equal', value: 3 }] }],
        after: ['data_variable_set', { variables: { after_ran: true } }],
      },
      ['start -> each', 'each:loop -> work', 'work -> stop', 'each:done -> after'],
    );
    const result = await run(definition, { items: [1, 2, 3, 4, 5], sum: 0 });
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.equal(result.node_states.work.runs, 3, 'the elements after the break never ran');
    assert.equal(result.final_variables.sum, 6);
    assert.equal(result.final_variables.after_ran, true);
    assert.deepEqual(result.execution_path.slice(-3), ['work', 'stop', 'after']);
  });

  it('nested loops: a break ends only the inner loop; the outer loop goes on with its own item', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        rows: ['loop_foreach', { array_variable: 'grid' }],
        cells: ['loop_foreach', { array_variable: 'item' }],
        neg: ['loop_break', { rules: [{ variable: 'item', operator: 'less_than', value: 0 }] }],
        add: ['data_transform', { transformations: { seen: '$append(seen, item)' } }],
        row_done: ['data_transform', { transformations: { firsts: '$append(firsts, item[0])' } }],
        after: ['flow_end', { final_output: { seen: '{{ seen }}', firsts: '{{ firsts }}' } }],
      },
      [
        'start -> rows',
        'rows:loop -> cells',
        'cells:loop -> neg',
        'neg -> add',
        'cells:done -> row_done',
        'rows:done -> after',
      ],
    );
    const result = await run(definition, {
      grid: [
        [1, 2, -1, 99],
        [3, -5, 98],
        [4, 5],
      ],
      seen: [],
      firsts: [],
    });
    assert.equal(result.status, 'completed', result.error_message ?? '');
    // Both loops use the default `item`: after the inner loop, the outer row is `item` again.
    assert.deepEqual(result.final_output, { seen: [1, 2, 3, 4, 5], firsts: [1, 3, 4] });
    assert.equal(result.node_states.row_done.runs, 3, 'the outer loop went on after every inner break');
    assert.equal(result.final_variables.item, undefined);
  });

  it('flow_end sets the final output, or fails the execution with its message', async () => {
    const completed = await run(
      workflow(
        {
          start: ['trigger_manual'],
          end: ['flow_end', { final_output: { total: '{{ total }}', label: 'total {{ total }}' } }],
        },
        ['start -> end'],
      ),
      { total: 7 },
    );
    assert.equal(completed.status, 'completed');
    assert.deepEqual(completed.final_output, { total: 7, label: 'total 7' });

    const failed = await run(
      workflow(
        {
          start: ['trigger_manual'],
          end: ['flow_end', { status: 'failed', error_message: 'user {{ user }} is banned' }],
        },
        ['start -> end'],
      ),
      { user: 'mallory' },
    );
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error_message, 'user mallory is banned');
  });
});

describe('semantics: MAX_PARALLEL_NODES', () => {
  let t: TestApp;
  let owner: string;

  before(async () => {
    t = await createTestApp({ MAX_PARALLEL_NODES: '1' });
    owner = await t.token({ userId: 'owner' });
  });
  after(() => t.close());

  it('with a limit of 1, the branches of flow_parallel run one at a time and still all complete', async () => {
    const definition = workflow(
      {
        start: ['trigger_manual'],
        fork: ['flow_parallel'],
        a: ['action_delay', { delay_ms: 150 }],
        b: ['action_delay', { delay_ms: 150 }],
        join: ['flow_merge'],
      },
      ['start -> fork', 'fork -> a', 'fork -> b', 'a -> join', 'b -> join'],
    );
    const result = await runWorkflow(t, owner, definition);
    assert.equal(result.status, 'completed', result.error_message ?? '');
    const [first, second] = [result.node_states.a, result.node_states.b].sort(
      (x, y) => at(x.started_at) - at(y.started_at),
    );
    // With one slot, the second branch can only start once the first one's 150 ms delay is over
    // (less the timer's and the two millisecond stamps' rounding; two slots would start both at once).
    assert.ok(at(second.started_at) >= at(first.started_at) + 145, 'no overlap with one slot');
    assert.equal(result.node_states.join.status, 'completed');
  });
});
