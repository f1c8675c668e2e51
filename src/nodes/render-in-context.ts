/**
 * @module nodes/render-in-context
 * Template rendering as nodes need it: against the execution's variables, taking the snapshot only
 * when a template actually needs it, and logging each missing variable once as a warning.
 */
import { CREDENTIALS_VARIABLE } from '../core/credential-refs.ts';
import { hasTemplate, renderTemplate, stringifyValue } from '../core/templates.ts';
import type { NodeContext } from './node-type.ts';

export interface Renderer {
  /** Renders strings deep inside the value; a lone `{{ path }}` keeps the value's type. */
  value(value: unknown): unknown;
  /** Renders to text (objects as JSON, missing as ''). */
  text(value: unknown): string;
  /** The variables templates read (taken once, on first use). */
  data(): Readonly<Record<string, unknown>>;
}

export function createRenderer(ctx: NodeContext, extra?: Readonly<Record<string, unknown>>): Renderer {
  let snapshot: Readonly<Record<string, unknown>> | undefined;
  const warned = new Set<string>();
  const data = (): Readonly<Record<string, unknown>> => {
    // Credentials are visible to templates only, here: never in the scope, so never in variables.
    const credentials = ctx.credentials ? { [CREDENTIALS_VARIABLE]: ctx.credentials } : undefined;
    snapshot ??= extra || credentials ? { ...ctx.scope.snapshot(), ...extra, ...credentials } : ctx.scope.snapshot();
    return snapshot;
  };
  const onMissing = (path: string): void => {
    if (warned.has(path)) return;
    warned.add(path);
    ctx.log(`warning: template variable '${path}' is missing; rendered as an empty string`);
  };
  const value = (input: unknown): unknown => (needsRendering(input) ? renderTemplate(input, data(), onMissing) : input);
  return { value, text: (input) => stringifyValue(value(input)), data };
}

function needsRendering(value: unknown): boolean {
  if (typeof value === 'string') return hasTemplate(value);
  return value !== null && typeof value === 'object';
}
