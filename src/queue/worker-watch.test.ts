import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookAtWorkers, type QueueStatus, WARNING_REPEAT_MS } from './worker-watch.ts';

const SILENCE = 30_000;
const status = (waiting: number, workers: number): QueueStatus => ({ queue: 'redis', waiting, running: 0, workers });

describe('worker watch', () => {
  it('warns once jobs wait and no worker was seen for the silence, then only every few minutes', () => {
    let state = { seenAt: 0, warnedAt: undefined as number | undefined };
    assert.equal(lookAtWorkers(state, status(3, 0), SILENCE - 1, SILENCE).warn, false);
    const first = lookAtWorkers(state, status(3, 0), SILENCE, SILENCE);
    assert.equal(first.warn, true);
    state = first.state;
    assert.equal(lookAtWorkers(state, status(3, 0), SILENCE + 10_000, SILENCE).warn, false);
    assert.equal(lookAtWorkers(state, status(3, 0), SILENCE + WARNING_REPEAT_MS, SILENCE).warn, true);
  });

  it('says nothing while no job waits, and a worker seen starts the silence again', () => {
    const state = { seenAt: 0, warnedAt: undefined };
    assert.equal(lookAtWorkers(state, status(0, 0), 10 * SILENCE, SILENCE).warn, false);
    const seen = lookAtWorkers(state, status(5, 1), 10 * SILENCE, SILENCE);
    assert.equal(seen.warn, false);
    assert.equal(lookAtWorkers(seen.state, status(5, 0), 10 * SILENCE + SILENCE - 1, SILENCE).warn, false);
    assert.equal(lookAtWorkers(seen.state, status(5, 0), 11 * SILENCE, SILENCE).warn, true);
  });
});
