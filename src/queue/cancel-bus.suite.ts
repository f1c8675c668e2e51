/**
 * @module queue/cancel-bus.suite
 * The one behaviour suite every CancelBus implementation must pass (run from
 * local-cancel-bus.test.ts and cancel-bus.test.ts for Redis). A harness gives the bus of the
 * process that cancels and the bus of the process that runs the execution; in one process they
 * are the same bus.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CancelBus } from './cancel-bus.ts';

export interface CancelBusHarness {
  /** The bus of the process a cancel is asked in. */
  readonly canceller: CancelBus;
  /** The bus of the process that runs executions (the same bus in a single process). */
  readonly worker: CancelBus;
  dispose(): Promise<void>;
}

/** Until `done()` holds: a cancel may cross processes asynchronously. */
async function waitFor(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

export function runCancelBusSuite(name: string, open: () => Promise<CancelBusHarness>): void {
  describe(`cancel bus contract (${name})`, () => {
    let bus: CancelBusHarness;
    const heard: string[] = [];
    const ignored: string[] = [];
    before(async () => {
      bus = await open();
      await bus.worker.listen((executionId) => heard.push(executionId));
      // One listener per process: a second listen keeps the first.
      await bus.worker.listen((executionId) => ignored.push(executionId));
    });
    after(async () => {
      await bus.dispose();
    });

    it('brings a cancel published once listening resolved to the worker, once, to its first listener', async () => {
      const executionId = randomUUID();
      await bus.canceller.publish(executionId);
      await waitFor(() => heard.includes(executionId));
      assert.deepEqual(
        heard.filter((id) => id === executionId),
        [executionId],
      );
      assert.deepEqual(ignored, []);
    });

    it('brings cancels to the worker in the order they were published', async () => {
      const ids: string[] = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) await bus.canceller.publish(id);
      await waitFor(() => ids.every((id) => heard.includes(id)));
      assert.deepEqual(
        heard.filter((id) => ids.includes(id)),
        ids,
      );
    });

    it("brings the worker's own cancels to it too", async () => {
      const executionId = randomUUID();
      await bus.worker.publish(executionId);
      await waitFor(() => heard.includes(executionId));
      assert.ok(heard.includes(executionId));
    });
  });
}
