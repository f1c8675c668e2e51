/**
 * @module engine/slots
 * MAX_PARALLEL_NODES as a counting semaphore. Acquiring is synchronous while a slot is free, so a
 * sequential run never pays for a promise; only waiting parallel branches queue.
 */

export interface Slots {
  /** null when a slot was taken at once, else a promise that resolves once one is handed over. */
  acquire(): Promise<void> | null;
  release(): void;
  /** Slots in use (for tests and metrics). */
  readonly inUse: number;
}

export function createSlots(capacity: number): Slots {
  const waiting: (() => void)[] = [];
  let inUse = 0;
  const max = Math.max(1, Math.floor(capacity));
  return {
    acquire() {
      if (inUse < max) {
        inUse++;
        return null;
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      // The slot passes straight to the next waiter, so inUse stays as it is.
      if (next) next();
      else inUse--;
    },
    get inUse() {
      return inUse;
    },
  };
}
