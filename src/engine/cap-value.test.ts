import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capValue, measureJsonSize, previewJson, type TruncatedValue } from './cap-value.ts';

describe('capValue', () => {
  it('keeps values under the cap as they are (same reference)', () => {
    const value = { a: [1, 2, 3], b: 'text' };
    assert.equal(capValue(value, 1024), value);
    assert.equal(capValue('short', 1024), 'short');
    assert.equal(capValue(undefined, 1024), null);
  });

  it('replaces a value over the cap by a marker with its size and a bounded preview', () => {
    const big = { rows: Array.from({ length: 5000 }, (_, i) => ({ i, text: 'x'.repeat(20) })) };
    const capped = capValue(big, 64 * 1024) as TruncatedValue;
    assert.equal(capped.truncated, true);
    const actual = JSON.stringify(big).length;
    assert.ok(Math.abs(capped.size_bytes - actual) / actual < 0.25, `estimate ${capped.size_bytes} near ${actual}`);
    assert.ok(capped.preview.length <= 1025);
    assert.ok(capped.preview.startsWith('{"rows":[{"i":0,'));
  });

  it('caps long strings too', () => {
    const capped = capValue('y'.repeat(10_000), 100) as TruncatedValue;
    assert.equal(capped.truncated, true);
    assert.ok(capped.preview.length <= 101);
  });

  it('measures with an early exit and previews without serialising everything', () => {
    const huge = Array.from({ length: 100_000 }, () => 'abcdef');
    assert.ok(measureJsonSize(huge, 100) <= 120, 'stops soon after the limit');
    assert.equal(previewJson({ a: 1, b: [true, null] }, 100), '{"a":1,"b":[true,null]}');
    assert.ok(previewJson(huge, 50).endsWith('…'));
  });
});

describe('capValue: values no JSON.stringify could store', () => {
  it('truncates a value nested 100,000 deep, whatever its size, into a marker that serialises', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    assert.throws(() => JSON.stringify(deep), RangeError);
    const capped = capValue(deep, 64 * 1024) as TruncatedValue;
    assert.equal(capped.truncated, true);
    assert.ok(JSON.stringify(capped).length < 2048);
    assert.ok(capped.preview.startsWith('{"a":{"a":'));
  });

  it('truncates a cyclic value instead of walking it forever', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const list: unknown[] = [1];
    list.push(list);
    for (const value of [cyclic, list]) {
      const capped = capValue(value, 64 * 1024) as TruncatedValue;
      assert.equal(capped.truncated, true);
      assert.doesNotThrow(() => JSON.stringify(capped));
    }
  });

  it('keeps deep-but-storable values up to the depth limit', () => {
    let value: unknown = 1;
    for (let i = 0; i < 60; i++) value = [value];
    assert.equal(capValue(value, 64 * 1024), value);
  });
});
