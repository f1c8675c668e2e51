/**
 * @module core/text
 * Text that people type (names, descriptions, labels, ids in bodies) may not hold NUL: PostgreSQL
 * text cannot store it, and no one means it. Payload data (variables, bodies, event data) may, and
 * keeps it. One JSON Schema format marks such fields, for Ajv (requests) and TypeBox alike.
 */
import { FormatRegistry, type StringOptions, Type } from '@sinclair/typebox';

export const PLAIN_TEXT_FORMAT = 'plain-text';

export function isPlainText(value: string): boolean {
  return !value.includes('\u0000');
}

FormatRegistry.Set(PLAIN_TEXT_FORMAT, isPlainText);

/** A string field of typed text: no NUL characters. */
export function plainText(options: StringOptions = {}) {
  return Type.String({ ...options, format: PLAIN_TEXT_FORMAT });
}
