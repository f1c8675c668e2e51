/**
 * @module services/running-runs
 * The runs of this process, by id, each with the controller that aborts it. A cancel heard for a
 * run not registered yet (between its claim and its start here) is remembered for a minute, so
 * the run is aborted as it starts.
 */

/** How long a cancel heard for a run not (yet) registered here is remembered. */
const EARLY_CANCEL_MS = 60_000;

export function createRunningRuns() {
  const running = new Map<string, AbortController>();
  /** Cancels heard between a run's claim and its registration here. */
  const earlyCancels = new Map<string, number>();
  return {
    has: (executionId: string) => running.has(executionId),
    /** Registers a run starting here: aborted at once when its cancel came first. */
    add(executionId: string): AbortController {
      const controller = new AbortController();
      running.set(executionId, controller);
      if (earlyCancels.delete(executionId)) controller.abort();
      return controller;
    },
    delete: (executionId: string) => running.delete(executionId),
    /** Aborts a run of this process; false when it is not running here. */
    cancel(executionId: string): boolean {
      const controller = running.get(executionId);
      if (!controller) return false;
      controller.abort();
      return true;
    },
    /** A cancel from the bus: aborts the run here, or remembers it for a run about to start. */
    heard(executionId: string): void {
      const controller = running.get(executionId);
      if (controller) {
        controller.abort();
        return;
      }
      const now = Date.now();
      for (const [id, at] of earlyCancels) {
        if (now - at < EARLY_CANCEL_MS) break;
        earlyCancels.delete(id);
      }
      earlyCancels.set(executionId, now);
    },
    abortAll(reason: Error): void {
      for (const controller of running.values()) controller.abort(reason);
    },
  };
}
