/**
 * @module http/validation
 * Request validation with Ajv: bodies are checked strictly (no type coercion, unknown fields
 * refused and named), while path and query strings are coerced to the declared number and
 * boolean types. Error messages name the field.
 */
import { Ajv, type ErrorObject } from 'ajv';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats: FormatsPlugin =
  (formatsModule as unknown as { default?: FormatsPlugin }).default ?? (formatsModule as unknown as FormatsPlugin);

function ajvFor(coerce: boolean) {
  const ajv = new Ajv({
    coerceTypes: coerce,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const strict = ajvFor(false);
const coercing = ajvFor(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

/** "body.nodes.n1.config: must be object", "unknown field body.foo" */
export function describeValidationError(part: string, error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  const where = path ? `${part}.${path}` : part;
  if (error.keyword === 'additionalProperties') {
    return `unknown field ${where}.${(error.params as { additionalProperty: string }).additionalProperty}`;
  }
  if (error.keyword === 'required') {
    return `missing required field ${where}.${(error.params as { missingProperty: string }).missingProperty}`;
  }
  if (error.keyword === 'enum') {
    return `${where} must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  if (error.keyword === 'format' && (error.params as { format: string }).format === 'uuid') {
    return `${where} must be a UUID`;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}
