import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { singleFlight } from './single-flight.ts';

describe('singleFlight', () => {
  it('shares one look among callers who ask while it is in flight', async () => {
    let looks = 0;
    let release: (value: number) => void = () => {};
    const shared = singleFlight(() => {
      looks++;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    });
    const answers = Promise.all([shared(), shared(), shared()]);
    release(7);
    assert.deepEqual(await answers, [7, 7, 7]);
    assert.equal(looks, 1);
  });

  it('looks again once the last look settled, after a failure too', async () => {
    let looks = 0;
    const shared = singleFlight(async () => {
      looks++;
      if (looks === 1) throw new Error('down');
      return looks;
    });
    await assert.rejects(shared(), /down/);
    assert.equal(await shared(), 2);
    assert.equal(await shared(), 3);
  });
});
