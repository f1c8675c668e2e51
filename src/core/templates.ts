/**
 * @module core/templates
 * `{{ path }}` rendering over config values. Templates only look values up by path: they never
 * evaluate code, and a value pulled from the scope is inserted as data, never rendered again (a chat
 * message containing `{{ secret }}` stays that text).
 */
import { getPath } from './paths.ts';

/** Called once per placeholder whose path is missing (or not a valid path). */
export type OnMissing = (path: string) => void;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const MAX_DEPTH = 64;

export function hasTemplate(value: string): boolean {
  return value.includes('{{') && /\{\{\s*[^{}]*?\s*\}\}/.test(value);
}

/** The paths a string refers to, in order (duplicates kept). */
export function templatePaths(value: string): string[] {
  return Array.from(value.matchAll(PLACEHOLDER), (match) => match[1]);
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
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole) {
    const found = lookUp(scope, whole[1], onMissing);
    return found === undefined ? '' : found;
  }
  return text.replace(PLACEHOLDER, (_match, path: string) => stringifyValue(lookUp(scope, path, onMissing)));
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
