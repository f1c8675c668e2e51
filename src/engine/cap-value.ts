/**
 * @module engine/cap-value
 * Bounds what a run stores: node input/output and final variables above a byte budget become a
 * `{truncated, size_bytes, preview}` marker. Sizes are estimated by walking the value with an
 * early exit, never by serialising it, so checking a small value costs next to nothing. A value
 * nested deeper than MAX_DEPTH (or cyclic, which is the same thing to a walk) is truncated too,
 * whatever its size: storing it as is would make JSON.stringify overflow the stack and lose the
 * run's node_states. Every walk here stops at MAX_DEPTH, so no value can overflow them either.
 */

export interface TruncatedValue {
  readonly truncated: true;
  readonly size_bytes: number;
  readonly preview: string;
}

export const PREVIEW_CHARS = 1024;
/** Beyond this a walk stops counting: the marker then says "at least this big". */
const MEASURE_CEILING = 256 * 1024 * 1024;
const MAX_DEPTH = 64;

interface Budget {
  left: number;
  /** Something sat deeper than MAX_DEPTH (or the value is cyclic). */
  tooDeep: boolean;
}

function walk(value: unknown, budget: Budget, depth: number): void {
  if (budget.left < 0) return;
  switch (typeof value) {
    case 'string':
      budget.left -= value.length + 2;
      return;
    case 'number':
    case 'bigint':
      budget.left -= 8;
      return;
    case 'boolean':
      budget.left -= 5;
      return;
    case 'object':
      break;
    default:
      budget.left -= 4;
      return;
  }
  if (value === null) {
    budget.left -= 4;
    return;
  }
  if (depth > MAX_DEPTH) {
    budget.left -= 4;
    budget.tooDeep = true;
    return;
  }
  if (Array.isArray(value)) {
    budget.left -= 2;
    for (let i = 0; i < value.length && budget.left >= 0; i++) {
      budget.left -= 1;
      walk(value[i], budget, depth + 1);
    }
    return;
  }
  budget.left -= 2;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    budget.left -= key.length + 4;
    walk((value as Record<string, unknown>)[key], budget, depth + 1);
    if (budget.left < 0) return;
  }
}

/** Approximate JSON size in bytes; stops early once it passes `limit` (returns limit + something). */
export function measureJsonSize(value: unknown, limit: number = MEASURE_CEILING): number {
  return measure(value, limit).bytes;
}

function measure(value: unknown, limit: number): { bytes: number; tooDeep: boolean } {
  const budget: Budget = { left: limit, tooDeep: false };
  walk(value, budget, 0);
  return { bytes: limit - budget.left, tooDeep: budget.tooDeep };
}

/** JSON text of `value`, cut at about `maxChars` without serialising the rest. */
export function previewJson(value: unknown, maxChars: number = PREVIEW_CHARS): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length < maxChars;
  };
  const write = (v: unknown, depth: number): boolean => {
    if (v !== null && typeof v === 'object' && depth > MAX_DEPTH) return emit('"…"');
    if (v === null || typeof v !== 'object') {
      if (typeof v === 'string') return emit(JSON.stringify(v.length > maxChars ? v.slice(0, maxChars) : v));
      if (typeof v === 'bigint') return emit(String(v));
      return emit(
        v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : (JSON.stringify(v) ?? 'null'),
      );
    }
    if (Array.isArray(v)) {
      if (!emit('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !emit(',')) return false;
        if (!write(v[i], depth + 1)) return false;
      }
      return emit(']');
    }
    if (!emit('{')) return false;
    let first = true;
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      if (!first && !emit(',')) return false;
      first = false;
      if (!emit(`${JSON.stringify(key)}:`)) return false;
      if (!write((v as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return emit('}');
  };
  write(value, 0);
  const text = parts.join('');
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

/** The value itself when it fits `maxBytes`, else a truncation marker. `undefined` is stored as null. */
export function capValue(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') {
    if (typeof value !== 'string' || value.length + 2 <= maxBytes) return value;
  } else {
    const { bytes, tooDeep } = measure(value, maxBytes);
    if (bytes <= maxBytes && !tooDeep) return value;
  }
  const marker: TruncatedValue = {
    truncated: true,
    size_bytes: measureJsonSize(value),
    preview: previewJson(value, Math.min(PREVIEW_CHARS, maxBytes)),
  };
  return marker;
}
