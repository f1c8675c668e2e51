import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getNodeType } from '../nodes/registry.ts';
import { fakeDeps, request, workflow } from './run.fixture.ts';
import { runExecution } from './run.ts';

const shoutOut = workflow(
  {
    t: ['trigger_command', { command_name: '!so' }],
    check: ['condition_if', { rules: [{ variable: 'args', operator: 'is_not_empty' }] }],
    set: ['data_variable_set', { variables: { target: '{{ args[0] }}' } }],
    each: ['loop_foreach', { array_variable: 'args' }],
    msg: ['action_chat_message', { message: 'Shout-out #{{ index }}: {{ item }}' }],
    end: ['flow_end', { final_output: { target: '{{ target }}', count: '{{ nodes.each.output.count }}' } }],
    nope: ['flow_end', { status: 'failed', error_message: 'no args for {{ command }}' }],
  },
  ['t -> check', 'check:true -> set', 'check:false -> nope', 'set -> each', 'each:loop -> msg', 'each:done -> end'],
);

const command = { command: '!so', args_text: 'ann bob', user_id: '1', platform: 'twitch', channel_id: 'c1' };

describe('runExecution with the real node catalog', () => {
  it('runs a command workflow end to end in test mode', async () => {
    const deps = fakeDeps({ nodeTypes: getNodeType });
    const result = await runExecution(
      request(shoutOut, { testMode: true, triggerData: { ...command, args: ['ann', 'bob'] } }),
      deps,
    );
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.deepEqual(result.final_output, { target: 'ann', count: 2 });
    assert.deepEqual(
      result.outbox.map((entry) => (entry.payload as { message: string }).message),
      ['Shout-out #0: ann', 'Shout-out #1: bob'],
    );
    assert.ok(result.outbox.every((entry) => entry.simulated && !entry.delivered));
    assert.equal(deps.sent.length, 0);
    assert.equal(result.node_states.nope.status, 'skipped');
    assert.equal(result.node_states.msg.runs, 2);
  });

  it('takes the failing end when the condition does not hold', async () => {
    const result = await runExecution(
      request(shoutOut, { testMode: true, triggerData: { ...command, args: [] } }),
      fakeDeps({ nodeTypes: getNodeType }),
    );
    assert.equal(result.status, 'failed');
    assert.equal(result.error_message, 'no args for !so');
    assert.equal(result.error_node_id, 'nope');
  });

  it('runs while/break, parallel branches and a merge', async () => {
    const def = workflow(
      {
        t: ['trigger_manual'],
        w: ['loop_while', { expression: 'n < 10' }],
        inc: ['data_transform', { transformations: { n: 'n + 1' } }],
        brk: ['loop_break', { rules: [{ variable: 'n', operator: 'greater_equal', value: 3 }] }],
        p: ['flow_parallel'],
        a: ['data_variable_set', { variables: { a: 'A' } }],
        b: ['action_delay', { delay_ms: 5 }],
        m: ['flow_merge'],
        end: ['flow_end', { final_output: { n: '{{ n }}', a: '{{ a }}' } }],
      },
      ['t -> w', 'w:loop -> inc', 'inc -> brk', 'w:done -> p', 'p -> a', 'p -> b', 'a -> m', 'b -> m', 'm -> end'],
    );
    const result = await runExecution(request(def, { variables: { n: 0 } }), fakeDeps({ nodeTypes: getNodeType }));
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.deepEqual(result.final_output, { n: 3, a: 'A' });
    assert.equal(result.node_states.inc.runs, 3);
    assert.deepEqual(Object.keys(result.node_states.m.input_data as object).sort(), ['a', 'b']);
  });
});

describe('runExecution keeps its record whatever a node returns', () => {
  it('a response nested 100,000 deep is stored truncated; node_states and variables still serialise', async () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const def = workflow(
      {
        t: ['trigger_manual'],
        call: ['action_webhook', { url: 'https://example.com/deep', output_variable: 'response' }],
        end: ['flow_end'],
      },
      ['t -> call', 'call -> end'],
    );
    const deps = fakeDeps({ nodeTypes: getNodeType, http: async () => ({ status: 200, headers: {}, body: deep }) });
    const result = await runExecution(request(def), deps);
    assert.equal(result.status, 'completed', result.error_message ?? '');
    assert.equal((result.node_states.call.output_data as { truncated?: boolean }).truncated, true);
    assert.equal((result.final_variables.response as { truncated?: boolean }).truncated, true);
    assert.doesNotThrow(() => JSON.stringify({ states: result.node_states, variables: result.final_variables }));
  });
});
