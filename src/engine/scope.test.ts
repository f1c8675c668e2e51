import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createScope } from './scope.ts';

describe('createScope', () => {
  it('reads dotted and indexed paths, own properties only', () => {
    const scope = createScope({ user: { name: 'ann' }, items: [{ id: 7 }], 'odd key': 1 });
    assert.equal(scope.get('user.name'), 'ann');
    assert.equal(scope.get('items[0].id'), 7);
    assert.equal(scope.get('["odd key"]'), 1);
    assert.equal(scope.get('user.missing.deeper'), undefined);
    assert.equal(scope.get('user.toString'), undefined, 'inherited members are not variables');
    assert.equal(scope.has('user.name'), true);
    assert.equal(scope.has('user.nope'), false);
  });

  it('writes nested paths, creating objects and arrays on the way', () => {
    const scope = createScope({});
    scope.set('a.b', 1);
    scope.set('list[0].x', 2);
    assert.deepEqual(scope.snapshot(), { a: { b: 1 }, list: [{ x: 2 }] });
  });

  it('refuses __proto__, constructor and prototype anywhere in a path', () => {
    const scope = createScope({ safe: {} });
    assert.throws(() => scope.set('__proto__.polluted', true));
    assert.throws(() => scope.set('safe.constructor.prototype.polluted', true));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(scope.get('safe.constructor'), undefined);
    assert.equal(scope.has('__proto__'), false);
  });

  it('unset removes a variable and ignores one that is not there', () => {
    const scope = createScope({ item: 1, deep: { x: 1, y: 2 } });
    scope.unset('item');
    scope.unset('deep.x');
    scope.unset('never.there');
    assert.deepEqual(scope.snapshot(), { deep: { y: 2 } });
  });
});
