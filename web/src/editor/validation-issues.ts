/**
 * @module editor/validation-issues
 * The server's validation messages placed where they belong: per node (for the badge), per
 * config field (for the form: "config field 'message' is required" goes on `message`), and the
 * rest for the workflow as a whole.
 */
import type { ValidationResult } from '../api/types.ts';

const FIELD = /config field '([^']+)'/;

export function nodeIssues(validation: ValidationResult | null, nodeId: string): readonly string[] {
  return validation?.node_validation_errors?.[nodeId] ?? [];
}

/** The message without the "Node 'x' (type): " prefix that the panel already shows. */
export function shortMessage(message: string): string {
  return message.replace(/^Node '[^']*'( \([^)]*\))?: /, '');
}

/** `a.b[0].c` → the top-level config field `a`. */
export function fieldOf(message: string): string | null {
  const match = FIELD.exec(message);
  if (!match) return null;
  return match[1].split(/[.[]/)[0] || null;
}

/** rjsf's extraErrors shape: `{field: {__errors: [...]}}`, and the messages naming no field. */
export function fieldErrors(messages: readonly string[]): {
  byField: Record<string, { __errors: string[] }>;
  general: string[];
} {
  const byField: Record<string, { __errors: string[] }> = {};
  const general: string[] = [];
  for (const message of messages) {
    const field = fieldOf(message);
    if (field) {
      byField[field] ??= { __errors: [] };
      byField[field].__errors.push(shortMessage(message).replace(FIELD, 'this field'));
    } else general.push(shortMessage(message));
  }
  return { byField, general };
}
