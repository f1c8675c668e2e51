/**
 * @module core/config-problems
 * Problems with one node's config against its type: TypeBox schema mismatches, each message
 * naming the field and bounded in number, then the type's own semantic checks on the fields that
 * are well-typed. Apart from validate.ts, which checks the workflow's graph around the nodes.
 */
import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { withDefaults } from '../nodes/config-defaults.ts';
import type { NodeType } from '../nodes/node-type.ts';

/** Schema problems reported per node config (PRODUCT.md §11: every problem, bounded). */
const MAX_CONFIG_PROBLEMS = 50;

/** Problems with one node's config, each naming the field: schema mismatches, then semantic checks. */
export function validateNodeConfig(type: NodeType, rawConfig: unknown): string[] {
  return configProblems(type, withDefaults(type.configSchema, rawConfig));
}

export function configProblems(type: NodeType, config: Record<string, unknown>): string[] {
  const problems = schemaProblems(type.configSchema, config);
  const messages = problems.map((problem) => problem.message);
  // Semantic checks need well-typed fields: they run on the config with the ill-typed fields
  // set back to their defaults (or left out), so a bad method does not hide a bad URL.
  const checkable = problems.length === 0 ? config : withoutProblemFields(type.configSchema, config, problems);
  if (!checkable) return messages;
  try {
    messages.push(...(type.validateConfig?.(checkable) ?? []));
  } catch (error) {
    messages.push(`config could not be checked: ${(error as Error).message}`);
  }
  return messages;
}

interface SchemaProblem {
  readonly message: string;
  /** The top-level config field the problem is in ('' for the config itself). */
  readonly field: string;
}

function schemaProblems(schema: TSchema, config: unknown): SchemaProblem[] {
  if (Value.Check(schema, config)) return [];
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of Value.Errors(schema, config)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    const field = (error.path.split('/')[1] ?? '').replaceAll('~1', '/').replaceAll('~0', '~');
    problems.push({ message: describeSchemaError(error), field });
    if (problems.length === MAX_CONFIG_PROBLEMS) break;
  }
  return problems;
}

/** `config` with each problem field at its default or removed; undefined when that still fails. */
function withoutProblemFields(
  schema: TSchema,
  config: Record<string, unknown>,
  problems: readonly SchemaProblem[],
): Record<string, unknown> | undefined {
  if (problems.some((problem) => problem.field === '')) return undefined;
  const repaired: Record<string, unknown> = { ...config };
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  for (const { field } of problems) {
    if (properties[field] && 'default' in properties[field])
      repaired[field] = structuredClone(properties[field].default);
    else delete repaired[field];
  }
  return Value.Check(schema, repaired) ? repaired : undefined;
}

function describeSchemaError(error: ValueError): string {
  const field = error.path
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
  if (field === '') return `config must be an object (${lowerFirst(error.message)})`;
  if (error.type === ValueErrorType.ObjectRequiredProperty) return `config field '${field}' is required`;
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return `config field '${field}' is not a known field`;
  const choices = (error.schema.anyOf as TSchema[] | undefined)?.map((option) => option.const);
  if (choices?.length && choices.every((choice) => typeof choice === 'string')) {
    return `config field '${field}' must be one of ${choices.map((choice) => `'${choice}'`).join(', ')} (got ${JSON.stringify(error.value)})`;
  }
  return `config field '${field}': ${lowerFirst(error.message)}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
