import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExpressionError } from './expression-limits.ts';
import { checkExpression, evaluateExpression, isTruthy } from './expressions.ts';

describe('checkExpression', () => {
  test('accepts valid JSONata', () => {
    assert.equal(checkExpression('$sum(items.price) > 10'), null);
    assert.equal(checkExpression('user.name & "!"'), null);
  });

  test('reports syntax errors with their position', () => {
    assert.match(checkExpression('$sum(') ?? '', /position 5/);
    assert.match(checkExpression('a +') ?? '', /JSONata error/);
  });

  test('reports regex literals RE2 cannot run', () => {
    assert.match(checkExpression('$match(name, /(a)\\1/)') ?? '', /cannot be used/);
    assert.equal(checkExpression('$match(name, /^a+$/i)'), null);
  });

  test('refuses overlong expressions', () => {
    assert.match(checkExpression(`1${' + 1'.repeat(3000)}`) ?? '', /longer than/);
  });
});

describe('evaluateExpression', () => {
  const data = { user: { name: 'ada' }, items: [{ price: 4 }, { price: 9 }], word: 'aaa' };

  test('evaluates against the data', async () => {
    assert.equal(await evaluateExpression('$sum(items.price)', data), 13);
    assert.equal(await evaluateExpression('$uppercase(user.name)', data), 'ADA');
    assert.deepEqual(await evaluateExpression('items[price > 5]', data), { price: 9 });
    assert.equal(await evaluateExpression('missing', data), undefined);
  });

  test('returns plain arrays and drops functions', async () => {
    const list = await evaluateExpression('items.price', data);
    assert.deepEqual(list, [4, 9]);
    assert.equal(Object.hasOwn(list as object, 'sequence'), false);
    assert.deepEqual(await evaluateExpression('{"f": function($x){$x}, "n": 1}', data), { n: 1 });
  });

  test('regexes run on the linear-time engine', async () => {
    assert.equal(await evaluateExpression('$contains(word, /^a+$/)', data), true);
    assert.deepEqual(await evaluateExpression('$split("a1b22c", /\\d+/)', data), ['a', 'b', 'c']);
    assert.equal(
      await evaluateExpression('$replace("2025-01-02", /(\\d+)-(\\d+)-(\\d+)/, "$3.$2.$1")', data),
      '02.01.2025',
    );
    const evil = `${'a'.repeat(30_000)}!`;
    assert.equal(await evaluateExpression('$contains(s, /^(a+)+$/)', { s: evil }), false);
  });

  test('a runaway expression is stopped by the time limit', async () => {
    const started = Date.now();
    await assert.rejects(
      evaluateExpression('($f := function($n){ $n > 0 ? $f($n-1) + $f($n-1) : 1 }; $f(40))', {}, { timeoutMs: 100 }),
      (error: unknown) =>
        error instanceof ExpressionError && error.limit === 'time' && /budget of 100 ms/.test(error.message),
    );
    assert.ok(Date.now() - started < 5000);
  });

  test('huge ranges are refused, not allocated', async () => {
    await assert.rejects(
      evaluateExpression('[1..10000000].$sum($)', {}, { timeoutMs: 200 }),
      (error: unknown) => error instanceof ExpressionError && (error.code === 'TOO_LONG' || error.code === 'TIMEOUT'),
    );
  });

  test('deep recursion is stopped by the depth limit', async () => {
    await assert.rejects(
      evaluateExpression('($f := function($n){ $n = 0 ? 0 : 1 + $f($n-1) }; $f(100000))', {}),
      (error: unknown) => error instanceof ExpressionError && error.code === 'TOO_DEEP',
    );
  });

  test('$eval inside an expression stays under the same limits', async () => {
    await assert.rejects(
      evaluateExpression(
        '$eval("($f := function($n){ $n > 0 ? $f($n-1) + $f($n-1) : 1 }; $f(40))")',
        {},
        { timeoutMs: 100 },
      ),
      ExpressionError,
    );
  });

  test('has no way to reach the process', async () => {
    await assert.rejects(evaluateExpression('$require("fs")', {}), ExpressionError);
    assert.equal(await evaluateExpression('$process', {}), undefined);
    assert.equal(await evaluateExpression('constructor', {}), undefined);
  });

  test('runtime errors become clear messages', async () => {
    await assert.rejects(evaluateExpression('1 + "a"', {}), /JSONata error T2002 at position 3/);
  });
});

describe('isTruthy', () => {
  test('follows the JSONata boolean cast', () => {
    for (const value of [true, 1, 'x', [0, 1], { a: 1 }]) assert.equal(isTruthy(value), true, JSON.stringify(value));
    for (const value of [false, 0, '', [], [0, ''], {}, null, undefined])
      assert.equal(isTruthy(value), false, JSON.stringify(value));
  });
});
