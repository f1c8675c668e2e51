/**
 * @module test/helpers/reference
 * The api-reference's JSON examples, read from ../shared/spec/api-reference.md, and a shape check
 * that holds an answer to one: every field of the example is present with the same JSON type
 * (arrays item by item, `null` and `{}` in the example accept anything); extra fields are allowed.
 * Records of nodes that never ran (skipped, pending) need every field but may hold nulls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let reference: string | undefined;

/** Read on first use, so tests that only need `shapeProblems` run without the spec checked out. */
function referenceText(): string {
  // API_REFERENCE_PATH: for a git worktree, whose ../shared is not the spec's directory.
  reference ??= readFileSync(
    process.env.API_REFERENCE_PATH ?? join(import.meta.dirname, '..', '..', '..', 'shared', 'spec', 'api-reference.md'),
    'utf8',
  );
  return reference;
}

/** The first JSON block after `#### Response` in the section headed `### title`. */
export function referenceExample(title: string): Record<string, unknown> {
  const REFERENCE = referenceText();
  const start = REFERENCE.indexOf(`### ${title}\n`);
  if (start < 0) throw new Error(`no section "${title}" in the reference`);
  const response = REFERENCE.indexOf('#### Response', start);
  const block = /```json\n([\s\S]*?)```/.exec(REFERENCE.slice(response));
  if (!block) throw new Error(`no response example in "${title}"`);
  return JSON.parse(block[1]) as Record<string, unknown>;
}

/** Object fields whose keys are ids (node ids): each value is held to the example's first value. */
const KEYED_MAPS = new Set(['node_states', 'node_validation_errors']);

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

export function shapeProblems(example: unknown, actual: unknown, path = '$'): string[] {
  if (example === null) return actual === undefined ? [`${path} is missing`] : [];
  if (actual === undefined) return [`${path} is missing`];
  if (kind(example) !== kind(actual)) return [`${path} is ${kind(actual)}, the reference has ${kind(example)}`];
  if (Array.isArray(example)) {
    if (example.length === 0) return [];
    return (actual as unknown[]).flatMap((item, index) => shapeProblems(example[0], item, `${path}[${index}]`));
  }
  if (kind(example) !== 'object') return [];
  const exampleObject = example as Record<string, unknown>;
  const actualObject = actual as Record<string, unknown>;
  const keys = Object.keys(exampleObject);
  if (keys.length === 0) return [];
  const name = path.split('.').pop() ?? '';
  // A node that never ran has no times or data: its record must have every field, of any type.
  if (actualObject.status === 'skipped' || actualObject.status === 'pending') {
    return keys.filter((key) => !(key in actualObject)).map((key) => `${path}.${key} is missing`);
  }
  if (KEYED_MAPS.has(name)) {
    const model = exampleObject[keys[0]];
    return Object.entries(actualObject).flatMap(([key, value]) => shapeProblems(model, value, `${path}.${key}`));
  }
  return keys.flatMap((key) => shapeProblems(exampleObject[key], actualObject[key], `${path}.${key}`));
}
