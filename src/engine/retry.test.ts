import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeError } from '../nodes/node-type.ts';
import { backoffDelay, resolveRetry, shouldRetry } from './retry.ts';

describe('retry policy', () => {
  it("prefers the node's retry over the workflow default, else one attempt", () => {
    const node = { node_type: 'x', retry: { max_attempts: 4, backoff_ms: 100 } };
    assert.deepEqual(resolveRetry(node, { retry: { max_attempts: 2 } }), {
      maxAttempts: 4,
      backoffMs: 100,
      maxBackoffMs: 30_000,
    });
    assert.equal(resolveRetry({ node_type: 'x' }, { retry: { max_attempts: 2 } }).maxAttempts, 2);
    assert.equal(resolveRetry({ node_type: 'x' }, {}).maxAttempts, 1);
  });

  it('backs off exponentially with jitter, capped, and honours retryAfterMs as a floor', () => {
    const policy = { maxAttempts: 10, backoffMs: 100, maxBackoffMs: 1000 };
    assert.equal(
      backoffDelay(policy, 1, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(policy, 1, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(policy, 3, () => 0.5),
      300,
    );
    assert.equal(
      backoffDelay(policy, 8, () => 1),
      1000,
      'capped at max_backoff_ms',
    );
    assert.equal(
      backoffDelay(policy, 1, () => 0, 5000),
      5000,
    );
    assert.equal(
      backoffDelay(policy, 1, () => 1, 10),
      100,
      'a shorter Retry-After does not shorten the backoff',
    );
  });

  it('stops at max attempts and on non-retryable errors', () => {
    const policy = { maxAttempts: 3, backoffMs: 1, maxBackoffMs: 1 };
    assert.equal(shouldRetry(new Error('x'), 1, policy), true);
    assert.equal(shouldRetry(new Error('x'), 3, policy), false);
    assert.equal(shouldRetry(new NodeError('x', 'BAD', { retryable: false }), 1, policy), false);
  });
});
