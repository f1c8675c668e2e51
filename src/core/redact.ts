/**
 * @module core/redact
 * Removes known secret values (the credentials a run opened) from anything about to leave the
 * run: records, answers, events, logs. Works on values, not on JSON text, so redaction can
 * never break a document's structure. Values shorter than MIN_SECRET_LENGTH are not secrets
 * worth hiding and would blank ordinary text.
 */

export const REDACTED = '[redacted]';
export const MIN_SECRET_LENGTH = 3;
const MAX_DEPTH = 200;

export interface Redactor {
  /** False when there is nothing to hide (callers skip the copy). */
  readonly active: boolean;
  text(value: string): string;
  /** A copy of `value` with every secret replaced in strings and keys; non-JSON leaves kept. */
  value<T>(value: T): T;
  /** Redacts a JSON document (parsed and written again). */
  json(text: string): string;
}

export function createRedactor(secrets: Iterable<string>): Redactor {
  // Longest first, so a secret that contains another is replaced whole.
  const list = [...new Set([...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  const text = (value: string): string => {
    let out = value;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    if (!isPlain(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [text(key), walk(item, depth + 1)]));
  };
  if (list.length === 0) {
    return { active: false, text: (v) => v, value: (v) => v, json: (v) => v };
  }
  return {
    active: true,
    text,
    value: <T>(value: T) => walk(value, 0) as T,
    json: (document) => JSON.stringify(walk(JSON.parse(document), 0)),
  };
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Every value of the opened credentials of a run. */
export function secretsOf(credentials: Readonly<Record<string, Readonly<Record<string, string>>>>): string[] {
  return Object.values(credentials).flatMap((fields) => Object.values(fields));
}
