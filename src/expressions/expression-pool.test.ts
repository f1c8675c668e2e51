import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ExpressionError } from '../core/expression-limits.ts';
import { createExpressionPool, type ExpressionPool } from './expression-pool.ts';

const KILLERS = [
  '$length($pad("x", 200000000))',
  '$length($replace($pad("",100000,"a"),"a",$pad("",1000,"b")))',
  '$count($split($pad("", 10000000, ","), ","))',
];

function limitHit(limit?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof ExpressionError, String(error));
    assert.ok(error.limit, `a limit, got ${error.message}`);
    if (limit) assert.equal(error.limit, limit, error.message);
    return true;
  };
}

describe('expression pool', () => {
  const lost: string[] = [];
  let pool: ExpressionPool;
  const run = (expression: string, data: unknown = {}, timeoutMs = 1000) =>
    pool.evaluate([{ expression }], data, { timeoutMs, signal: new AbortController().signal });

  before(async () => {
    pool = createExpressionPool({ size: 2, memoryMb: 64, onWorkerLost: (reason) => lost.push(reason) });
    await pool.warm();
  });
  after(() => pool.close());

  test('evaluates a batch in order, each step seeing the variables set before it', async () => {
    const results = await pool.evaluate(
      [
        { expression: '$sum(items)', variable: 'total' },
        { expression: 'total * 2', variable: 'stats.double' },
        { expression: 'stats.double + 1' },
        { expression: 'missing' },
      ],
      { items: [1, 2, 3] },
      { timeoutMs: 1000, signal: new AbortController().signal },
    );
    assert.deepEqual(results.slice(0, 3), [6, 12, 13]);
    assert.equal(results[3] ?? null, null);
  });

  test('the killer expressions end in a named limit, and the pool works on', async () => {
    for (const killer of KILLERS) await assert.rejects(run(killer), limitHit());
    assert.equal((await run('1 + 1'))[0], 2);
  });

  test('a batch shares one time budget and names the step that ran out', async () => {
    // Many short steps: the budget runs out at a step boundary, where the worker names the step,
    // even on a loaded machine (one long step can outlast the kill's grace and end unnamed).
    const slow = '($f := function($n){ $n > 0 ? $f($n-1) + $f($n-1) : 1 }; $f(11))';
    const steps = Array.from({ length: 1000 }, (_, i) => ({ expression: slow, variable: `v${i}` }));
    await assert.rejects(
      pool.evaluate(steps, {}, { timeoutMs: 300, signal: new AbortController().signal }),
      (error: unknown) => limitHit('time')(error) && typeof (error as ExpressionError).step === 'number',
    );
  });

  test('a built-in that blocks past the deadline is ended by killing its worker', async () => {
    lost.length = 0;
    // The input comes as data, so the only slow step is the one long $sort call (no step boundary
    // for the in-worker check to stop at).
    const items = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 300_000);
    await assert.rejects(run('$count($sort(items))', { items }, 150), limitHit('time'));
    assert.deepEqual(lost, ['deadline']);
    assert.equal((await run('"still" & " here"'))[0], 'still here');
  });

  test('cancelling ends the evaluation with the signal reason', async () => {
    const controller = new AbortController();
    const pending = pool.evaluate(
      [{ expression: '$count($sort([1..300000]))' }],
      {},
      {
        timeoutMs: 5000,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(new Error('cancelled by test')), 50);
    await assert.rejects(pending, /cancelled by test/);
  });
});

describe('expression pool limits', () => {
  test('a split past the sequence limit is refused before it is built', async () => {
    const pool = createExpressionPool({ size: 1, memoryMb: 128, limits: { maxResultBytes: 64 * 1024 * 1024 } });
    try {
      await assert.rejects(
        // A generous budget: on a loaded machine the time limit must not hit first.
        pool.evaluate([{ expression: KILLERS[2] }], {}, { timeoutMs: 60_000, signal: new AbortController().signal }),
        limitHit('sequence_length'),
      );
    } finally {
      await pool.close();
    }
  });

  test('a worker that runs out of memory dies alone, named as the memory limit', async () => {
    const lost: string[] = [];
    const pool = createExpressionPool({
      size: 1,
      memoryMb: 32,
      limits: { maxResultBytes: 1024 * 1024 * 1024, maxSequenceLength: 10_000_000 },
      onWorkerLost: (reason) => lost.push(reason),
    });
    try {
      await assert.rejects(
        pool.evaluate(
          [{ expression: '$count([1..3000000].{"n": $string($)})' }],
          {},
          {
            timeoutMs: 30_000,
            signal: new AbortController().signal,
          },
        ),
        limitHit('memory'),
      );
      assert.equal(lost.length, 1);
      const [after] = await pool.evaluate(
        [{ expression: '40 + 2' }],
        {},
        {
          timeoutMs: 30_000,
          signal: new AbortController().signal,
        },
      );
      assert.equal(after, 42);
    } finally {
      await pool.close();
    }
  });
});
