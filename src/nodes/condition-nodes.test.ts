import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NodeError } from './node-type.ts';
import { getNodeType } from './registry.ts';
import { createTestContext, runNode } from './test-context.fixture.ts';

describe('condition_if', () => {
  const variables = { count: 5, role: 'mod', limit: 3 };

  test('routes to true or false by rules (all by default, or any)', async () => {
    const rules = [
      { variable: 'count', operator: 'greater_than', value: '{{ limit }}' },
      { variable: 'role', operator: 'equals', value: 'vip' },
    ];
    const all = await runNode('condition_if', { rules }, createTestContext({ variables }));
    assert.deepEqual(all.ports, ['false']);
    const any = await runNode('condition_if', { rules, match: 'any' }, createTestContext({ variables }));
    assert.deepEqual(any.ports, ['true']);
    assert.deepEqual(any.output, { result: true });
  });

  test('an expression is read as a boolean and wins over rules', async () => {
    const context = createTestContext({ variables });
    const result = await runNode(
      'condition_if',
      { expression: 'count > limit and role = "mod"', rules: [{ variable: 'count', operator: 'equals', value: 0 }] },
      context,
    );
    assert.deepEqual(result.ports, ['true']);
    const falsy = await runNode('condition_if', { expression: 'missing' }, createTestContext({ variables }));
    assert.deepEqual(falsy.ports, ['false']);
  });

  test('a failing expression is a non-retryable NodeError', async () => {
    await assert.rejects(
      runNode('condition_if', { expression: '1 + "a"' }, createTestContext()),
      (error: unknown) =>
        error instanceof NodeError && error.code === 'EXPRESSION_ERROR' && error.options.retryable !== true,
    );
  });

  test('a templated regex that does not compile fails the node', async () => {
    const context = createTestContext({ variables: { name: 'x', pattern: '(a)\\1' } });
    await assert.rejects(
      runNode(
        'condition_if',
        { rules: [{ variable: 'name', operator: 'matches_regex', value: '{{ pattern }}' }] },
        context,
      ),
      (error: unknown) => error instanceof NodeError && error.code === 'RULE_ERROR',
    );
  });

  test('validation: needs rules or an expression; checks paths, literal regexes and JSONata', () => {
    const check = getNodeType('condition_if')?.validateConfig;
    assert.ok(check);
    assert.deepEqual(check({}), ["config needs 'rules' or an 'expression'"]);
    assert.deepEqual(check({ rules: [{ variable: 'a', operator: 'matches_regex', value: '^\\d+$' }] }), []);
    const problems = check({
      rules: [
        { variable: 'a..b', operator: 'equals', value: 1 },
        { variable: 'a', operator: 'matches_regex', value: '(?<=x)y' },
        { variable: 'a', operator: 'matches_regex', value: '{{ dynamic }}' },
      ],
      expression: '$sum(',
    });
    assert.equal(problems.length, 3);
    assert.match(problems[0], /rules\[0\]\.variable/);
    assert.match(problems[1], /rules\[1\]\.value.*invalid regex/);
    assert.match(problems[2], /config field 'expression'/);
  });
});

describe('condition_switch', () => {
  const config = { variable: 'choice', cases: { '1': 'one', yes: 'agree', true: 'agree' }, default_port: 'other' };

  test('the case equal to the value as a string wins', async () => {
    const number = await runNode('condition_switch', config, createTestContext({ variables: { choice: 1 } }));
    assert.deepEqual(number.ports, ['one']);
    const bool = await runNode('condition_switch', config, createTestContext({ variables: { choice: true } }));
    assert.deepEqual(bool.ports, ['agree']);
    const text = await runNode('condition_switch', config, createTestContext({ variables: { choice: 'yes' } }));
    assert.deepEqual(text.ports, ['agree']);
    assert.deepEqual(text.output, { value: 'yes', port: 'agree' });
  });

  test('no equal case goes to default_port (default: "default")', async () => {
    const other = await runNode('condition_switch', config, createTestContext({ variables: { choice: 'no' } }));
    assert.deepEqual(other.ports, ['other']);
    const plain = await runNode('condition_switch', { variable: 'x', cases: { a: 'a' } }, createTestContext());
    assert.deepEqual(plain.ports, ['default']);
    const proto = await runNode(
      'condition_switch',
      { variable: 'x', cases: {} },
      createTestContext({ variables: { x: 'toString' } }),
    );
    assert.deepEqual(proto.ports, ['default']);
  });
});

describe('condition_filter', () => {
  const items = [
    { name: 'a', score: 10 },
    { name: 'b', score: 3 },
    { name: 'c', score: 7 },
  ];

  test('keeps matching elements (the element is item) and stores them', async () => {
    const context = createTestContext({ variables: { data: { items }, min: 5 } });
    const result = await runNode(
      'condition_filter',
      { input_array: 'data.items', rules: [{ variable: 'item.score', operator: 'greater_equal', value: '{{ min }}' }] },
      context,
    );
    assert.deepEqual(result.output, [items[0], items[2]]);
    assert.deepEqual(context.variables.filtered_items, [items[0], items[2]]);
    assert.deepEqual(result.ports, ['output']);
  });

  test('rules may mix item and other variables, and compare to the item', async () => {
    const context = createTestContext({ variables: { list: [1, 5, 9], banned: [5] } });
    const result = await runNode(
      'condition_filter',
      {
        input_array: 'list',
        rules: [{ variable: 'item', operator: 'not_in_list', value: '{{ banned }}' }],
        output_variable: 'kept',
      },
      context,
    );
    assert.deepEqual(context.variables.kept, [1, 9]);
    assert.deepEqual(result.output, [1, 9]);
    const byItem = await runNode(
      'condition_filter',
      { input_array: 'list', rules: [{ variable: 'item', operator: 'equals', value: '{{ item }}' }] },
      createTestContext({ variables: { list: [1, 2] } }),
    );
    assert.deepEqual(byItem.output, [1, 2]);
  });

  test('a value that is not an array fails the node', async () => {
    await assert.rejects(
      runNode('condition_filter', { input_array: 'nope', rules: [] }, createTestContext()),
      (error: unknown) => error instanceof NodeError && error.code === 'NOT_AN_ARRAY',
    );
  });
});
