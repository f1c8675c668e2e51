import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor, REDACTED } from './redact.ts';

describe('createRedactor', () => {
  it('replaces secrets in strings and keys at any depth, keeping structure and other values', () => {
    const redact = createRedactor(['s3cret-value', 'ab']);
    const input = { a: 'x s3cret-value y', list: [1, { 's3cret-value': true }], n: null, ab: 'ab' };
    assert.deepEqual(redact.value(input), {
      a: `x ${REDACTED} y`,
      list: [1, { [REDACTED]: true }],
      n: null,
      ab: 'ab',
    });
    assert.equal(input.a, 'x s3cret-value y', 'the input is left as it was');
  });

  it('redacts JSON documents by value, so quotes in a secret cannot break them', () => {
    const redact = createRedactor(['p"a\\ss']);
    const text = JSON.stringify({ v: 'say p"a\\ss now' });
    assert.deepEqual(JSON.parse(redact.json(text)), { v: `say ${REDACTED} now` });
  });

  it('is inactive without secrets', () => {
    const redact = createRedactor([]);
    const value = { a: 1 };
    assert.equal(redact.active, false);
    assert.equal(redact.value(value), value);
  });
});
