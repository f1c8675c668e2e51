import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adjacencyOf, cyclicComponents, loopBody, reachableFrom } from './graph.ts';

describe('graph algorithms', () => {
  test('cyclicComponents finds cycles, self-loops, and respects the include filter', () => {
    // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 5
    const adjacency = adjacencyOf(6, [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 2, to: 0 },
      { from: 3, to: 3 },
      { from: 4, to: 5 },
    ]);
    assert.deepEqual(
      cyclicComponents(adjacency, () => true),
      [[0, 1, 2], [3]],
    );
    assert.deepEqual(
      cyclicComponents(adjacency, (node) => node !== 1),
      [[3]],
    );
  });

  test('cyclicComponents handles a long chain without recursion', () => {
    const size = 100_000;
    const edges = Array.from({ length: size }, (_, index) => ({ from: index, to: (index + 1) % size }));
    const components = cyclicComponents(adjacencyOf(size, edges), () => true);
    assert.equal(components.length, 1);
    assert.equal(components[0].length, size);
  });

  test('reachableFrom marks what starts reach, never entering the blocked node', () => {
    const adjacency = adjacencyOf(4, [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 3, to: 2 },
    ]);
    assert.deepEqual([...reachableFrom(adjacency, [0])], [1, 1, 1, 0]);
    assert.deepEqual([...reachableFrom(adjacency, [0], 1)], [1, 0, 0, 0]);
  });

  test('loop bodies stop at their loop node and include nested loops', () => {
    // start 0 and hook 1 -> each 2; each.loop -> inner 3; inner.loop -> say 4 -> stop 5;
    // inner.done -> each; each.done -> after 6
    const adjacency = adjacencyOf(7, [
      { from: 0, to: 2 },
      { from: 1, to: 2 },
      { from: 2, to: 3 },
      { from: 3, to: 4 },
      { from: 4, to: 5 },
      { from: 3, to: 2 },
      { from: 2, to: 6 },
    ]);
    assert.deepEqual(loopBody(adjacency, 3, [4]), [4, 5]);
    assert.deepEqual(loopBody(adjacency, 2, [3]), [3, 4, 5]);
  });
});
