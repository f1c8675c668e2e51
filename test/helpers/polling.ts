/**
 * @module test/helpers/polling
 * Waiting for something the app does in the background: probe until the probe answers a value,
 * giving up after a number of attempts or a deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  /** Pause between two probes. */
  readonly intervalMs?: number;
  /** Probes at the most. */
  readonly attempts?: number;
  /** Gives up once this much time has passed since the first probe. */
  readonly timeoutMs?: number;
}

/** Probes until it answers something other than `undefined`, and answers that. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { intervalMs = 25, attempts = 200, timeoutMs = Number.POSITIVE_INFINITY }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    if (attempt >= attempts || Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}
