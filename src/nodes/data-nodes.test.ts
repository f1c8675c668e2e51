import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NodeError } from './node-type.ts';
import { getNodeType } from './registry.ts';
import { createTestContext, runNode } from './test-context.fixture.ts';

describe('data_variable_set', () => {
  test('sets rendered values (typed for lone placeholders), all against the starting variables', async () => {
    const context = createTestContext({ variables: { username: 'ada', count: 2, greeting: 'old' } });
    const result = await runNode(
      'data_variable_set',
      {
        variables: {
          greeting: 'Hello {{ username }}',
          total: '{{ count }}',
          copy: '{{ greeting }}',
          'user.level': 3,
          list: ['{{ count }}'],
        },
      },
      context,
    );
    assert.equal(context.variables.greeting, 'Hello ada');
    assert.equal(context.variables.total, 2);
    assert.equal(context.variables.copy, 'old');
    assert.deepEqual(context.variables.user, { level: 3 });
    assert.deepEqual(context.variables.list, [2]);
    assert.deepEqual(result.output, { greeting: 'Hello ada', total: 2, copy: 'old', 'user.level': 3, list: [2] });
    assert.deepEqual(result.ports, ['output']);
  });

  test('validation: names must be paths', () => {
    const check = getNodeType('data_variable_set')?.validateConfig;
    assert.deepEqual(check?.({ variables: { 'a.b': 1 } }), []);
    assert.match(check?.({ variables: { '__proto__.x': 1 } })[0] ?? '', /not a valid variable path/);
  });
});

describe('data_variable_get', () => {
  test('copies a value to output_variable', async () => {
    const context = createTestContext({ variables: { user: { points: 12 } } });
    const result = await runNode(
      'data_variable_get',
      { variable_name: 'user.points', output_variable: 'points' },
      context,
    );
    assert.equal(result.output, 12);
    assert.equal(context.variables.points, 12);
  });

  test('uses the (templated) default when the variable is missing', async () => {
    const context = createTestContext({ variables: { fallback: 'none yet' } });
    const result = await runNode(
      'data_variable_get',
      { variable_name: 'user.points', output_variable: 'points', default_value: '{{ fallback }}' },
      context,
    );
    assert.equal(result.output, 'none yet');
    assert.equal(context.variables.points, 'none yet');
    const noDefault = await runNode('data_variable_get', { variable_name: 'x' }, createTestContext());
    assert.equal(noDefault.output, null);
  });
});

describe('data_transform', () => {
  test('evaluates JSONata in order, each seeing the previous results', async () => {
    const context = createTestContext({ variables: { items: [{ price: 2 }, { price: 5 }] } });
    const result = await runNode(
      'data_transform',
      { transformations: { total: '$sum(items.price)', doubled: 'total * 2', none: 'nothing' } },
      context,
    );
    assert.deepEqual(result.output, { total: 7, doubled: 14, none: null });
    assert.equal(context.variables.doubled, 14);
    assert.deepEqual(result.ports, ['output']);
  });

  test('template language renders instead', async () => {
    const context = createTestContext({ variables: { username: 'ada', n: 3 } });
    const result = await runNode(
      'data_transform',
      { expression_language: 'template', transformations: { line: '{{ username }} has {{ n }}', n_copy: '{{ n }}' } },
      context,
    );
    assert.deepEqual(result.output, { line: 'ada has 3', n_copy: 3 });
  });

  test('a failing or runaway expression fails the node, naming the variable', async () => {
    await assert.rejects(
      runNode('data_transform', { transformations: { bad: '$number("x")' } }, createTestContext()),
      (error: unknown) =>
        error instanceof NodeError && error.code === 'EXPRESSION_ERROR' && /'bad'/.test(error.message),
    );
    await assert.rejects(
      runNode(
        'data_transform',
        { transformations: { slow: '($f := function($n){ $n > 0 ? $f($n-1) + $f($n-1) : 1 }; $f(40))' } },
        createTestContext({ limits: { expressionTimeoutMs: 50 } }),
      ),
      (error: unknown) =>
        error instanceof NodeError &&
        error.code === 'EXPRESSION_LIMIT' &&
        /transformation 'slow' stopped: expression limit 'time'.*budget of 50 ms/.test(error.message),
    );
  });

  test('validation checks JSONata syntax only for the jsonata language', () => {
    const check = getNodeType('data_transform')?.validateConfig;
    assert.match(check?.({ transformations: { a: '$sum(' } })[0] ?? '', /transformations\.a.*JSONata/);
    assert.deepEqual(check?.({ transformations: { a: '$sum(' }, expression_language: 'template' }), []);
  });
});
