import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client.ts';
import { afterFailedRead, createRunReader, RETRY_MS } from './run-reader.ts';

const NETWORK = new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached (Failed to fetch)');

/** A read whose answers the test gives one at a time, and what the page was handed. */
function harness(shown = false) {
  const pending: Array<{ resolve(v: string): void; reject(e: unknown): void }> = [];
  const page: { loaded: string[]; failed: string[] } = { loaded: [], failed: [] };
  const reader = createRunReader(
    () => new Promise<string>((resolve, reject) => pending.push({ resolve, reject })),
    { loaded: (v) => page.loaded.push(v), failed: (e) => page.failed.push(e.code) },
    shown,
  );
  /** Answers the oldest read still waiting, and lets its callbacks run. */
  async function answer(outcome: string | Error | ApiError) {
    const next = pending.shift();
    if (!next) throw new Error('no read is waiting');
    if (typeof outcome === 'string') next.resolve(outcome);
    else next.reject(outcome);
    await vi.advanceTimersByTimeAsync(0);
  }
  return { reader, page, pending, answer };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('afterFailedRead', () => {
  it('tries again only after a network error while the run is shown', () => {
    expect(afterFailedRead(NETWORK, true)).toEqual({ retryInMs: RETRY_MS });
    expect(afterFailedRead(NETWORK, false)).toEqual({ show: NETWORK });
    const clientError = new ApiError(0, 'CLIENT_ERROR', 'Unexpected token < in JSON');
    expect(afterFailedRead(clientError, true)).toEqual({ show: clientError });
    const refused = new ApiError(404, 'EXECUTION_NOT_FOUND', 'Execution not found');
    expect(afterFailedRead(refused, true)).toEqual({ show: refused });
  });
});

describe('createRunReader', () => {
  it('keeps the page through a network blip and reads again until the server answers', async () => {
    const { reader, page, pending, answer } = harness();
    reader.reload();
    await answer('run v1');
    reader.reload();
    await answer(NETWORK);
    expect(pending).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    await answer(NETWORK);
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    await answer('run v2');
    expect(page).toEqual({ loaded: ['run v1', 'run v2'], failed: [] });
  });

  it('shows a network error on the first read, and a client failure at any time, without trying again', async () => {
    const first = harness();
    first.reader.reload();
    await first.answer(NETWORK);
    expect(first.page.failed).toEqual(['NETWORK_ERROR']);

    const later = harness();
    later.reader.reload();
    await later.answer('run v1');
    later.reader.reload();
    await later.answer(new TypeError("Cannot read properties of undefined (reading 'status')"));
    await vi.advanceTimersByTimeAsync(RETRY_MS * 3);
    expect(later.pending).toHaveLength(0);
    expect(later.page).toEqual({ loaded: ['run v1'], failed: ['CLIENT_ERROR'] });
  });

  it('counts a run shown before it started again as shown', async () => {
    const { reader, page, pending, answer } = harness(true);
    reader.reload();
    await answer(NETWORK);
    expect(page.failed).toEqual([]);
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(pending).toHaveLength(1);
  });

  it('lands nothing and schedules nothing once closed', async () => {
    const { reader, page, pending, answer } = harness();
    reader.reload();
    await answer('run v1');
    reader.reload();
    reader.reload();
    reader.reload();
    reader.close();
    await answer(NETWORK);
    await answer(new ApiError(404, 'EXECUTION_NOT_FOUND', 'Execution not found'));
    await answer('run v1 again');
    await vi.advanceTimersByTimeAsync(RETRY_MS * 3);
    expect(pending).toHaveLength(0);
    expect(page).toEqual({ loaded: ['run v1'], failed: [] });
    reader.reload();
    reader.soon(10);
    await vi.advanceTimersByTimeAsync(100);
    expect(pending).toHaveLength(0);
  });

  it('closed while a retry waits, the retry does not read', async () => {
    const { reader, pending, answer } = harness(true);
    reader.reload();
    await answer(NETWORK);
    reader.close();
    await vi.advanceTimersByTimeAsync(RETRY_MS * 3);
    expect(pending).toHaveLength(0);
  });

  it('has one reload timer: the earliest wish wins and the others add no read', async () => {
    const { reader, pending, answer } = harness(true);
    reader.reload();
    await answer(NETWORK); // a retry is due in RETRY_MS
    reader.soon(1000);
    reader.soon(1500);
    await vi.advanceTimersByTimeAsync(1000);
    expect(pending).toHaveLength(1);
    await answer('run');
    await vi.advanceTimersByTimeAsync(RETRY_MS * 2);
    expect(pending).toHaveLength(0);
  });
});
