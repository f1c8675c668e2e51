/**
 * @module nodes/config-defaults
 * A node config with its schema's top-level defaults filled in: what executors, semantic checks
 * and validation see, whoever calls them.
 */
import type { TSchema } from '@sinclair/typebox';

const defaultsBySchema = new WeakMap<TSchema, readonly (readonly [string, unknown])[]>();

/** The top-level property defaults of an object schema (node configs keep their defaults there). */
function defaultsOf(schema: TSchema): readonly (readonly [string, unknown])[] {
  let defaults = defaultsBySchema.get(schema);
  if (!defaults) {
    const properties = (schema.properties ?? {}) as Record<string, TSchema>;
    defaults = Object.entries(properties).flatMap(([key, property]) =>
      'default' in property ? [[key, property.default] as const] : [],
    );
    defaultsBySchema.set(schema, defaults);
  }
  return defaults;
}

/**
 * A config with its schema defaults filled in: a shallow copy, so the stored definition is never
 * touched (nodes only read their config). Values that are not objects are returned as they are,
 * for the schema check to report.
 */
export function withDefaults(schema: TSchema, config: unknown): Record<string, unknown> {
  const base = config === undefined || config === null ? {} : config;
  if (typeof base !== 'object' || Array.isArray(base)) return base as Record<string, unknown>;
  const filled: Record<string, unknown> = { ...base };
  for (const [key, value] of defaultsOf(schema)) {
    if (filled[key] === undefined)
      filled[key] = value !== null && typeof value === 'object' ? structuredClone(value) : value;
  }
  return filled;
}
