/**
 * @module bench/paced-load
 * A fixed-rate load generator: requests go out evenly spaced (one every 1/rate s), and each
 * latency is measured from the moment the request was due, not from when it was sent, so a
 * stalled server cannot hide its queue (no coordinated omission). autocannon's `overallRate`
 * releases its connections' requests in bursts, which measures the burst, not the rate.
 */
import { Pool } from 'undici';

export interface PacedLoadOptions {
  readonly url: string;
  readonly method: 'POST' | 'GET';
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly rate: number;
  readonly durationSeconds: number;
  readonly connections?: number;
  /** Called with each answer's status. */
  readonly onStatus?: (status: number) => void;
}

export interface PacedLoadResult {
  readonly sent: number;
  readonly errors: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly p99_ms: number;
  readonly max_ms: number;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.connections ?? 64, pipelining: 1 });
  const path = `${target.pathname}${target.search}`;
  const intervalMs = 1000 / options.rate;
  const total = Math.round(options.rate * options.durationSeconds);
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  let errors = 0;
  const start = performance.now();
  let next = 0;
  try {
    while (next < total) {
      const now = performance.now();
      // Everything due by now goes out; the loop then sleeps until the next one is due.
      while (next < total && start + next * intervalMs <= now) {
        const due = start + next * intervalMs;
        next++;
        inflight.push(
          pool
            .request({ path, method: options.method, headers: options.headers, body: options.body })
            .then(async (response) => {
              await response.body.dump();
              latencies.push(performance.now() - due);
              options.onStatus?.(response.statusCode);
            })
            .catch(() => {
              errors++;
            }),
        );
      }
      const wait = start + next * intervalMs - performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.floor(wait))));
    }
    await Promise.all(inflight);
  } finally {
    await pool.close();
  }
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    sent: total,
    errors,
    p50_ms: round(percentile(latencies, 0.5)),
    p90_ms: round(percentile(latencies, 0.9)),
    p99_ms: round(percentile(latencies, 0.99)),
    max_ms: round(latencies.at(-1) ?? 0),
  };
}
