/**
 * @module core/paths
 * Dotted/indexed variable paths (`user.name`, `items[0].id`, `nodes["my.node"].output`): parsing,
 * reading and writing. Paths come from users, so `__proto__`, `constructor` and `prototype` are
 * refused and only own properties are read: no path can reach or pollute a prototype.
 */

export type PathSegment = string | number;

export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathError';
  }
}

const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_PATH_LENGTH = 512;
const PARSE_CACHE_LIMIT = 2000;
const parseCache = new Map<string, readonly PathSegment[]>();

export function isForbiddenSegment(segment: PathSegment): boolean {
  return typeof segment === 'string' && FORBIDDEN_SEGMENTS.has(segment);
}

/** Splits a path into segments; throws PathError on bad syntax or a forbidden segment. */
export function parsePath(path: string): readonly PathSegment[] {
  const cached = parseCache.get(path);
  if (cached) return cached;
  const segments = parseUncached(path);
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.delete(parseCache.keys().next().value as string);
  parseCache.set(path, segments);
  return segments;
}

function parseUncached(raw: string): readonly PathSegment[] {
  const path = raw.trim();
  if (path.length === 0) throw new PathError('path is empty');
  if (path.length > MAX_PATH_LENGTH) throw new PathError(`path is longer than ${MAX_PATH_LENGTH} characters`);
  const segments: PathSegment[] = [];
  let i = 0;
  let expectName = true;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '[') {
      const close = readBracket(path, i, segments);
      i = close + 1;
      expectName = false;
    } else if (ch === '.' && !expectName) {
      i += 1;
      expectName = true;
      if (i >= path.length) throw new PathError(`path '${path}' ends with '.'`);
    } else if (expectName) {
      let end = i;
      while (end < path.length && !'.[]'.includes(path[end]) && !/\s/.test(path[end])) end += 1;
      if (end === i) throw new PathError(`unexpected '${ch}' at position ${i} in path '${path}'`);
      segments.push(path.slice(i, end));
      i = end;
      expectName = false;
    } else {
      throw new PathError(`unexpected '${ch}' at position ${i} in path '${path}'`);
    }
  }
  for (const segment of segments) {
    if (isForbiddenSegment(segment)) throw new PathError(`path segment '${segment}' is not allowed`);
  }
  return segments;
}

/** Reads `[12]`, `['key']` or `["key"]` starting at `open`; returns the index of the closing bracket. */
function readBracket(path: string, open: number, segments: PathSegment[]): number {
  const quote = path[open + 1];
  if (quote === '"' || quote === "'") {
    let value = '';
    let i = open + 2;
    while (i < path.length && path[i] !== quote) {
      if (path[i] === '\\' && i + 1 < path.length) i += 1;
      value += path[i];
      i += 1;
    }
    if (path[i] !== quote || path[i + 1] !== ']') throw new PathError(`unterminated quoted key in path '${path}'`);
    segments.push(value);
    return i + 1;
  }
  const close = path.indexOf(']', open);
  const digits = close === -1 ? '' : path.slice(open + 1, close);
  if (!/^\d{1,9}$/.test(digits)) throw new PathError(`bad index '[${digits}' in path '${path}'`);
  segments.push(Number(digits));
  return close;
}

/** Parses or returns null: for callers that treat a bad path as "not there". */
export function tryParsePath(path: string): readonly PathSegment[] | null {
  try {
    return parsePath(path);
  } catch {
    return null;
  }
}

export function isValidPath(path: string): boolean {
  return tryParsePath(path) !== null;
}

interface Lookup {
  readonly found: boolean;
  readonly value: unknown;
}
const NOT_FOUND: Lookup = { found: false, value: undefined };

function step(container: unknown, segment: PathSegment): Lookup {
  if (Array.isArray(container)) {
    if (segment === 'length') return { found: true, value: container.length };
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
    return index >= 0 && index < container.length ? { found: true, value: container[index] } : NOT_FOUND;
  }
  if (typeof container === 'string') {
    return segment === 'length' ? { found: true, value: container.length } : NOT_FOUND;
  }
  if (container !== null && typeof container === 'object') {
    const key = String(segment);
    return Object.hasOwn(container, key)
      ? { found: true, value: (container as Record<string, unknown>)[key] }
      : NOT_FOUND;
  }
  return NOT_FOUND;
}

function lookup(root: unknown, path: string): Lookup {
  const segments = tryParsePath(path);
  if (!segments) return NOT_FOUND;
  let current: Lookup = { found: true, value: root };
  for (const segment of segments) {
    current = step(current.value, segment);
    if (!current.found) return NOT_FOUND;
  }
  return current;
}

/** The value at `path`, or undefined when any segment is missing, the path is bad or forbidden. */
export function getPath(root: unknown, path: string): unknown {
  return lookup(root, path).value;
}

/** True when the path resolves to an own property (its value may be null). */
export function hasPath(root: unknown, path: string): boolean {
  return lookup(root, path).found;
}

/**
 * Writes `value` at `path`, creating objects (or arrays before an index) on the way and replacing
 * primitives that stand in the way. Throws PathError on a bad or forbidden path.
 */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = parsePath(path);
  let container: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    const next = last
      ? value
      : (existingContainer(container, segment) ?? (typeof segments[i + 1] === 'number' ? [] : {}));
    assign(container, segment, next, path);
    if (!last) container = next as Record<string, unknown> | unknown[];
  }
}

function existingContainer(container: Record<string, unknown> | unknown[], segment: PathSegment): object | undefined {
  const { found, value } = step(container, segment);
  return found && value !== null && typeof value === 'object' ? value : undefined;
}

function assign(
  container: Record<string, unknown> | unknown[],
  segment: PathSegment,
  value: unknown,
  path: string,
): void {
  if (Array.isArray(container)) {
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
    if (index < 0) throw new PathError(`cannot set '${segment}' on an array in path '${path}'`);
    // Appending is fine; jumping ahead (`a[1000000000]`) would build a huge sparse array.
    if (index > container.length) throw new PathError(`index ${index} is past the end of the array in path '${path}'`);
    container[index] = value;
    return;
  }
  // defineProperty creates an own data property whatever the key, never invoking an inherited setter.
  Object.defineProperty(container, String(segment), { value, writable: true, enumerable: true, configurable: true });
}
