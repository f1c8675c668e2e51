/**
 * @module core/templates
 * `{{ path }}` rendering over config values. Templates only look values up by path: they never
 * evaluate code, and a value pulled from the scope is inserted as data, never rendered again (a chat
 * message containing `{{ secret }}` stays that text).
 */
import { getPath } from './paths.ts';

/** Called once per placeholder whose path is missing (or not a valid path). */
export type OnMissing = (path: string) => void;

const MAX_DEPTH = 64;

/** One `{{ path }}` in a string: where it starts and ends, and the trimmed path inside. */
export interface Placeholder {
  readonly start: number;
  readonly end: number;
  readonly path: string;
}

/**
 * The placeholders of `text`, left to right, as `/\{\{\s*([^{}]*?)\s*\}\}/g` would find them, in
 * linear time: that pattern backtracks (`{{` and thousands of spaces froze the process). A
 * placeholder holds no `{` or `}`; where a brace cuts one short, the search resumes at that brace,
 * so no character is looked at more than twice.
 */
export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  let from = text.indexOf('{{');
  while (from !== -1) {
    let cursor = from + 2;
    let code = text.charCodeAt(cursor);
    while (cursor < text.length && code !== 0x7b && code !== 0x7d) code = text.charCodeAt(++cursor);
    if (code === 0x7d && text.charCodeAt(cursor + 1) === 0x7d) {
      found.push({ start: from, end: cursor + 2, path: text.slice(from + 2, cursor).trim() });
      from = text.indexOf('{{', cursor + 2);
    } else {
      // Between from + 2 and the cursor there are no braces, so no `{{` can start there.
      from = cursor >= text.length ? -1 : text.indexOf('{{', cursor === from + 2 ? from + 1 : cursor);
    }
  }
  return found;
}

export function hasTemplate(value: string): boolean {
  return value.includes('{{') && findPlaceholders(value).length > 0;
}

/** The paths a string refers to, in order (duplicates kept). */
export function templatePaths(value: string): string[] {
  return findPlaceholders(value).map((placeholder) => placeholder.path);
}

/**
 * Renders strings deep inside arrays and objects (keys are left alone). A string that is exactly one
 * placeholder yields the value with its type; otherwise placeholders are interpolated as text.
 */
export function renderTemplate(value: unknown, scope: unknown, onMissing: OnMissing = ignoreMissing): unknown {
  return renderValue(value, scope, onMissing, 0);
}

/** Renders and always returns a string (objects become JSON, missing values ''). */
export function renderString(value: string, scope: unknown, onMissing: OnMissing = ignoreMissing): string {
  const rendered = renderValue(value, scope, onMissing, 0);
  return typeof rendered === 'string' ? rendered : stringifyValue(rendered);
}

function renderValue(value: unknown, scope: unknown, onMissing: OnMissing, depth: number): unknown {
  if (typeof value === 'string') return renderText(value, scope, onMissing);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => renderValue(item, scope, onMissing, depth + 1));
  // fromEntries creates own data properties, so a `__proto__` key stays a plain key.
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, renderValue(item, scope, onMissing, depth + 1)]),
  );
}

function renderText(text: string, scope: unknown, onMissing: OnMissing): unknown {
  if (!text.includes('{{')) return text;
  const placeholders = findPlaceholders(text);
  if (placeholders.length === 0) return text;
  const first = placeholders[0];
  if (placeholders.length === 1 && first.start === 0 && first.end === text.length) {
    const found = lookUp(scope, first.path, onMissing);
    return found === undefined ? '' : found;
  }
  let rendered = '';
  let last = 0;
  for (const { start, end, path } of placeholders) {
    rendered += text.slice(last, start) + stringifyValue(lookUp(scope, path, onMissing));
    last = end;
  }
  return rendered + text.slice(last);
}

/** Variables hold JSON, where undefined cannot be a stored value: undefined means missing. */
function lookUp(scope: unknown, path: string, onMissing: OnMissing): unknown {
  const value = getPath(scope, path);
  if (value === undefined) onMissing(path);
  return value;
}

/** How a value appears inside text: null and undefined as '', objects as JSON. */
export function stringifyValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value) ?? '';
    } catch {
      return '';
    }
  }
  return String(value);
}

function ignoreMissing(): void {}
