import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getPath, hasPath, isValidPath, PathError, parsePath, setPath } from './paths.ts';

describe('getPath', () => {
  const data = {
    user: { name: 'ada', tags: ['a', 'b'] },
    items: [{ id: 1 }, { id: 2 }],
    'my.node': { x: 1 },
    zero: 0,
    nil: null,
  };

  test('reads dotted and indexed paths', () => {
    assert.equal(getPath(data, 'user.name'), 'ada');
    assert.equal(getPath(data, 'items[1].id'), 2);
    assert.equal(getPath(data, 'user.tags[0]'), 'a');
    assert.equal(getPath(data, 'items.0.id'), 1);
    assert.equal(getPath(data, ' user.name '), 'ada');
  });

  test('reads quoted keys and lengths', () => {
    assert.deepEqual(getPath(data, '["my.node"].x'), 1);
    assert.deepEqual(getPath(data, "['my.node']"), { x: 1 });
    assert.equal(getPath(data, 'items.length'), 2);
    assert.equal(getPath(data, 'user.name.length'), 3);
  });

  test('missing segments, bad paths and primitives give undefined', () => {
    assert.equal(getPath(data, 'user.age'), undefined);
    assert.equal(getPath(data, 'items[5].id'), undefined);
    assert.equal(getPath(data, 'zero.x'), undefined);
    assert.equal(getPath(data, 'nil.x'), undefined);
    assert.equal(getPath(data, 'user..name'), undefined);
    assert.equal(getPath(data, ''), undefined);
    assert.equal(getPath(data, 'a b'), undefined);
  });

  test('falsy values are found', () => {
    assert.equal(getPath(data, 'zero'), 0);
    assert.equal(getPath(data, 'nil'), null);
    assert.equal(hasPath(data, 'nil'), true);
    assert.equal(hasPath(data, 'nothing'), false);
  });

  test('never reads through prototypes', () => {
    assert.equal(getPath(data, 'constructor'), undefined);
    assert.equal(getPath(data, '__proto__'), undefined);
    assert.equal(getPath(data, 'user.constructor.prototype'), undefined);
    assert.equal(getPath(data, 'toString'), undefined);
    assert.equal(getPath(data, 'user.hasOwnProperty'), undefined);
    assert.equal(hasPath(data, 'toString'), false);
  });
});

describe('parsePath', () => {
  test('splits into names and indexes', () => {
    assert.deepEqual(parsePath('a.b[2].c'), ['a', 'b', 2, 'c']);
    assert.deepEqual(parsePath('nodes["n-1.x"].output'), ['nodes', 'n-1.x', 'output']);
  });

  test('refuses bad syntax and forbidden segments', () => {
    for (const bad of ['', 'a.', '.a', 'a[x]', 'a[1', 'a["x]', '__proto__.x', 'a.constructor', 'a["prototype"]']) {
      assert.throws(() => parsePath(bad), PathError, bad);
      assert.equal(isValidPath(bad), false, bad);
    }
  });
});

describe('setPath', () => {
  test('creates objects and arrays on the way', () => {
    const root: Record<string, unknown> = {};
    setPath(root, 'a.b.c', 1);
    setPath(root, 'list[0].id', 'x');
    setPath(root, 'list[1]', 'y');
    assert.deepEqual(root, { a: { b: { c: 1 } }, list: [{ id: 'x' }, 'y'] });
  });

  test('overwrites values and replaces primitives in the way', () => {
    const root: Record<string, unknown> = { a: 5, b: { keep: true } };
    setPath(root, 'a.x', 1);
    setPath(root, 'b.new', 2);
    assert.deepEqual(root, { a: { x: 1 }, b: { keep: true, new: 2 } });
  });

  test('refuses prototype pollution', () => {
    const root: Record<string, unknown> = {};
    assert.throws(() => setPath(root, '__proto__.polluted', true), PathError);
    assert.throws(() => setPath(root, 'constructor.prototype.polluted', true), PathError);
    assert.throws(() => setPath(root, 'a["__proto__"].polluted', true), PathError);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  });

  test('refuses to jump far past the end of an array', () => {
    const root: Record<string, unknown> = { list: [] };
    assert.throws(() => setPath(root, 'list[1000000]', 1), PathError);
    assert.throws(() => setPath(root, 'list.name', 1), PathError);
  });
});
