import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionEvent } from './execution-types.ts';
import { createWatchSink, LAGGED_STATUS } from './watch-sink.ts';

const event = (n: number, final = false): ExecutionEvent => ({
  execution_id: 'e',
  node_id: final ? null : `n${n}`,
  status: final ? 'completed' : 'completed',
  at: '2026-12-01T00:00:00.000Z',
  output: 'x'.repeat(100),
  final,
});

function fakeTarget(accepts: () => boolean) {
  const written: ExecutionEvent[] = [];
  let ended: ExecutionEvent | undefined;
  let drain = () => {};
  return {
    written,
    ended: () => ended,
    drain: () => drain(),
    target: {
      write: (frame: ExecutionEvent) => {
        written.push(frame);
        return accepts();
      },
      onDrain: (listener: () => void) => {
        drain = listener;
      },
      end: (last: ExecutionEvent) => {
        ended = last;
      },
    },
  };
}

const options = { frame: (e: ExecutionEvent) => e, sizeOf: () => 100, lagLimitBytes: 1000 };

describe('watch sink', () => {
  it('writes while the transport accepts, holds frames while it pushes back, sends them on drain', () => {
    let open = false;
    const fake = fakeTarget(() => open);
    const sink = createWatchSink(fake.target, options);
    sink.push(event(1));
    sink.push(event(2));
    sink.push(event(3, true));
    assert.deepEqual(
      fake.written.map((e) => e.node_id),
      ['n1'],
      'nothing more is written until the transport drains',
    );
    open = true;
    fake.drain();
    assert.deepEqual(
      fake.written.map((e) => e.node_id),
      ['n1', 'n2'],
    );
    assert.equal(fake.ended()?.final, true);
    assert.equal(sink.closed, true);
  });

  it('a watcher more than the lag limit behind gets a final lagged event and nothing after', () => {
    let lagged = 0;
    const fake = fakeTarget(() => false);
    const sink = createWatchSink(fake.target, { ...options, onLagged: () => lagged++ });
    for (let i = 0; i < 20; i++) sink.push(event(i));
    assert.equal(fake.written.length, 1);
    assert.equal(fake.ended()?.status, LAGGED_STATUS);
    assert.equal(fake.ended()?.final, true);
    assert.equal(lagged, 1);
    fake.drain();
    assert.equal(fake.written.length, 1, 'the dropped frames are gone');
  });
});
