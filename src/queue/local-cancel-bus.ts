/**
 * @module queue/local-cancel-bus
 * Cancellation in a single process (no REDIS_URL): every run is this process's, so a published
 * cancel goes straight to its listener.
 */
import type { CancelBus } from './cancel-bus.ts';

export function createLocalCancelBus(): CancelBus {
  let listener: ((executionId: string) => void) | undefined;
  return {
    async publish(executionId) {
      listener?.(executionId);
    },
    async listen(onCancel) {
      // One listener per process, as with Redis: a second listen keeps the first.
      listener ??= onCancel;
    },
    async close() {
      listener = undefined;
    },
  };
}
