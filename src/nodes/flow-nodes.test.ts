import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NodeError } from './node-type.ts';
import { getNodeType } from './registry.ts';
import { createTestContext, runNode } from './test-context.fixture.ts';

describe('loop_foreach', () => {
  test('resolves the array and hands the loop to the engine', async () => {
    const context = createTestContext({
      variables: { data: { users: ['a', 'b'] } },
      limits: { maxLoopIterations: 500 },
    });
    const result = await runNode('loop_foreach', { array_variable: 'data.users', item_variable: 'user' }, context);
    assert.deepEqual(result.ports, []);
    assert.deepEqual(result.control, {
      kind: 'foreach',
      items: ['a', 'b'],
      itemVariable: 'user',
      indexVariable: 'index',
      maxIterations: 500,
    });
    assert.deepEqual(result.output, { count: 2 });
  });

  test('max_iterations is kept when below the engine limit', async () => {
    const result = await runNode(
      'loop_foreach',
      { array_variable: 'xs', max_iterations: 3 },
      createTestContext({ variables: { xs: [] } }),
    );
    assert.equal(result.control?.kind === 'foreach' && result.control.maxIterations, 3);
  });

  test('a value that is not an array fails the node', async () => {
    await assert.rejects(
      runNode('loop_foreach', { array_variable: 'xs' }, createTestContext({ variables: { xs: 'abc' } })),
      (error: unknown) => error instanceof NodeError && error.code === 'NOT_AN_ARRAY' && /string/.test(error.message),
    );
  });
});

describe('loop_while', () => {
  test('evaluates its condition each time it runs', async () => {
    const config = { rules: [{ variable: 'n', operator: 'less_than', value: 3 }], max_iterations: 50 };
    const going = await runNode('loop_while', config, createTestContext({ variables: { n: 1 } }));
    assert.deepEqual(going.control, { kind: 'while', proceed: true, maxIterations: 50 });
    assert.deepEqual(going.ports, []);
    const stopped = await runNode('loop_while', config, createTestContext({ variables: { n: 3 } }));
    assert.deepEqual(stopped.control, { kind: 'while', proceed: false, maxIterations: 50 });
  });

  test('an expression works too; a condition is required', async () => {
    const result = await runNode('loop_while', { expression: 'n < 10' }, createTestContext({ variables: { n: 1 } }));
    assert.equal(result.control?.kind === 'while' && result.control.proceed, true);
    assert.equal(getNodeType('loop_while')?.validateConfig?.({}).length, 1);
  });
});

describe('loop_break', () => {
  test('breaks always without rules', async () => {
    const result = await runNode('loop_break', {});
    assert.deepEqual(result.control, { kind: 'break', breakLoop: true });
    assert.deepEqual(result.ports, ['output']);
  });

  test('breaks only when its rules hold', async () => {
    const config = { rules: [{ variable: 'item', operator: 'equals', value: 'stop' }] };
    const stop = await runNode('loop_break', config, createTestContext({ variables: { item: 'stop' } }));
    assert.deepEqual(stop.control, { kind: 'break', breakLoop: true });
    const goOn = await runNode('loop_break', config, createTestContext({ variables: { item: 'go' } }));
    assert.deepEqual(goOn.control, { kind: 'break', breakLoop: false });
    assert.deepEqual(getNodeType('loop_break')?.validateConfig?.({}), []);
  });
});

describe('flow_parallel / flow_merge', () => {
  test('parallel passes its input on with a timeout', async () => {
    const result = await runNode('flow_parallel', {}, createTestContext(), { a: 1 });
    assert.deepEqual(result.control, { kind: 'parallel', timeoutMs: 300_000 });
    assert.deepEqual(result.output, { a: 1 });
    assert.deepEqual(result.ports, ['output']);
  });

  test('merge tells the engine how many inputs it needs', async () => {
    const merge = getNodeType('flow_merge');
    assert.equal(merge?.structure, 'join');
    assert.equal(merge?.joinInputs?.({}), -1);
    assert.equal(merge?.joinInputs?.({ input_ports_required: 2 }), 2);
    const first = await runNode('flow_merge', { input_ports_required: 2 }, createTestContext(), 'x');
    assert.equal(first.control, undefined);
    assert.equal(first.output, 'x');
    assert.deepEqual(first.ports, ['output']);
    assert.equal(getNodeType('flow_merge')?.validateConfig?.({ input_ports_required: 0 }).length, 1);
  });
});

describe('flow_end', () => {
  test('renders the final output and completes', async () => {
    const context = createTestContext({ variables: { total: 7, username: 'ada' } });
    const result = await runNode(
      'flow_end',
      { final_output: { total: '{{ total }}', text: 'by {{ username }}' } },
      context,
    );
    assert.deepEqual(result.control, { kind: 'end', status: 'completed', finalOutput: { total: 7, text: 'by ada' } });
    assert.deepEqual(result.ports, []);
  });

  test('a failed end carries its rendered message', async () => {
    const context = createTestContext({ variables: { reason: 'no stock' } });
    const result = await runNode('flow_end', { status: 'failed', error_message: 'Stopped: {{ reason }}' }, context);
    assert.deepEqual(result.control, {
      kind: 'end',
      status: 'failed',
      finalOutput: {},
      errorMessage: 'Stopped: no stock',
    });
  });
});
