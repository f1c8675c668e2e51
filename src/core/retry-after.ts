/**
 * @module core/retry-after
 * `Retry-After` as a delay in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * One reading for the router client and for the nodes that turn 429/503 into a retry delay.
 */

/** Milliseconds to wait, or undefined when the header is missing or unreadable. Never negative. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a date with a month or weekday name: Date.parse would read "1.5" as a day in 2001.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
