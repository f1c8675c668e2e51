import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { capValue } from '../../../src/engine/cap-value.ts';
import { isTruncated, JsonTree } from './json-tree.tsx';

// The engine's default cap on a stored node input/output (PRODUCT.md §5: 64 KiB each).
const CAP = 64 * 1024;

describe('isTruncated', () => {
  test('recognises the marker the engine stores for a value over its cap', () => {
    const marker = capValue({ text: 'x'.repeat(200_000) }, CAP);
    expect(isTruncated(marker)).toBe(true);
    expect(isTruncated(capValue('y'.repeat(CAP), CAP))).toBe(true);
  });

  test('leaves values under the cap, and look-alikes that are data, alone', () => {
    expect(isTruncated(capValue({ text: 'short' }, CAP))).toBe(false);
    expect(isTruncated(null)).toBe(false);
    expect(isTruncated('truncated')).toBe(false);
    expect(isTruncated([true, 1, 'x'])).toBe(false);
    expect(isTruncated({ truncated: true, preview: 'no size' })).toBe(false);
    expect(isTruncated({ truncated: 'yes', size_bytes: 10, preview: 'x' })).toBe(false);
    expect(isTruncated({ truncated: true, size_bytes: 10, preview: 'x', more: 1 })).toBe(false);
  });
});

describe('JsonTree', () => {
  test('shows a truncated value as its marker, its stored size and the preview, not as an object', () => {
    const html = renderToStaticMarkup(
      <JsonTree value={capValue({ text: 'x'.repeat(200_000) }, CAP)} label="Output of big" />,
    );
    expect(html).toContain('<span class="truncated-marker">truncated as stored (195.3 KiB)</span>');
    expect(html).toMatch(/<pre class="json-preview">\{&quot;text&quot;:&quot;x{1000,}/);
    // Only the preview travels into the page: about 1 KiB of the 195 KiB value.
    expect(html.length).toBeLessThan(2_000);
    expect(html).not.toContain('size_bytes');
  });

  test('shows a truncated entry inside a larger value with its key', () => {
    const variables = { small: 1, big: capValue('z'.repeat(CAP + 10), CAP) };
    const html = renderToStaticMarkup(<JsonTree value={variables} label="Variables" />);
    expect(html).toContain(
      '<span class="json-key">big: </span><span class="truncated-marker">truncated as stored (64.0 KiB)</span>',
    );
    expect(html).toContain('<span class="json-key">small: </span><span class="json-literal">1</span>');
  });

  test('shows an ordinary value as a tree, without a marker', () => {
    const html = renderToStaticMarkup(<JsonTree value={{ greeting: 'hi', n: [1, 2] }} label="Output of say" />);
    expect(html).toContain('<section class="json-tree" aria-label="Output of say" tabindex="0">');
    expect(html).toContain('<span class="json-string">&quot;hi&quot;</span>');
    expect(html).not.toContain('truncated');
  });
});
