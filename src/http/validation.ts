/**
 * @module http/validation
 * Request validation with Ajv: bodies are checked strictly (no type coercion, unknown fields
 * refused and named), while path and query strings are coerced to the declared number and
 * boolean types. Every problem is reported (up to 50), each message naming the field.
 */
import { Ajv, type ErrorObject } from 'ajv';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { isPlainText, PLAIN_TEXT_FORMAT } from '../core/text.ts';
import { MAX_REPORTED_PROBLEMS } from '../errors.ts';

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats: FormatsPlugin =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ?? (formatsModule as unknown as FormatsPlugin);

function ajvFor(coerce: boolean) {
  const ajv = new Ajv({
    coerceTypes: coerce,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
    // Errors carry their schema, so a union's message can list the values it allows.
    verbose: true,
    strict: false,
  });
  addFormats(ajv);
  ajv.addFormat(PLAIN_TEXT_FORMAT, isPlainText);
  return ajv;
}

const strict = ajvFor(false);
const coercing = ajvFor(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

function fieldOf(part: string, error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  return path ? `${part}.${path}` : part;
}

/** "one of: a, b" for a union of constants, else "integer or null" from the options' types. */
function describeUnion(options: unknown): string {
  const list = Array.isArray(options) ? (options as Array<{ const?: unknown; type?: unknown }>) : [];
  if (list.length > 0 && list.every((option) => option.const !== undefined)) {
    return `must be one of: ${list.map((option) => String(option.const)).join(', ')}`;
  }
  const kinds = list.map((option) =>
    option.const !== undefined ? JSON.stringify(option.const) : String(option.type ?? 'another shape'),
  );
  return kinds.length > 0 ? `must be ${[...new Set(kinds)].join(' or ')}` : 'matches none of the allowed shapes';
}

/** "body.nodes.n1.config: must be object", "unknown field body.foo" */
export function describeValidationError(part: string, error: ErrorObject): string {
  const where = fieldOf(part, error);
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown field ${where}.${(error.params as { additionalProperty: string }).additionalProperty}`;
    case 'required':
      return `missing required field ${where}.${(error.params as { missingProperty: string }).missingProperty}`;
    case 'enum':
      return `${where} must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'anyOf':
    case 'oneOf':
      return `${where} ${describeUnion(error.schema)}`;
    case 'format': {
      const format = (error.params as { format: string }).format;
      if (format === 'uuid') return `${where} must be a UUID`;
      if (format === PLAIN_TEXT_FORMAT) return `${where} must not contain NUL characters`;
      break;
    }
    default:
      break;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}

/**
 * The errors of the one branch of `union` whose type the value has, when every other branch
 * failed on its type alone; otherwise none (the union's own message then says it best).
 */
function onlyBranchOfItsType(union: ErrorObject, errors: readonly ErrorObject[]): ErrorObject[] {
  const branches = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    if (error === union || !error.schemaPath.startsWith(`${union.schemaPath}/`)) continue;
    const branch = error.schemaPath.slice(union.schemaPath.length + 1).split('/')[0];
    branches.set(branch, [...(branches.get(branch) ?? []), error]);
  }
  const typed = [...branches.values()].filter((found) =>
    found.some((error) => error.keyword !== 'type' && error.keyword !== 'const'),
  );
  return typed.length === 1 ? typed[0] : [];
}

/**
 * Every problem of a request part, each once and bounded: the branches of a union that failed are
 * folded into the union's one message ("must be one of: …") instead of one line per branch, unless
 * the value has the type of a branch and breaks only its constraints ("must NOT have fewer than 3
 * characters" says more than "must be string or null").
 */
export function describeValidationErrors(part: string, errors: readonly ErrorObject[]): string[] {
  const unions = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf');
  const insideUnion = (error: ErrorObject) =>
    unions.some((union) => union !== error && error.schemaPath.startsWith(`${union.schemaPath}/`));
  const messages = new Set<string>();
  for (const error of errors) {
    if (insideUnion(error)) continue;
    const constraints = unions.includes(error) ? onlyBranchOfItsType(error, errors) : [];
    for (const problem of constraints.length > 0 ? constraints : [error]) {
      messages.add(describeValidationError(part, problem));
    }
    if (messages.size >= MAX_REPORTED_PROBLEMS) break;
  }
  return [...messages].slice(0, MAX_REPORTED_PROBLEMS);
}
