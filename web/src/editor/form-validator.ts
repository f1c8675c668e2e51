/**
 * @module editor/form-validator
 * rjsf's validator interface over @cfworker/json-schema, which interprets schemas instead of
 * compiling code (ajv's `new Function` would need `unsafe-eval` in the CSP). The server's
 * /validate stays the judge; this only gives quick feedback while typing.
 */
import { Validator } from '@cfworker/json-schema';
import {
  type CustomValidator,
  createErrorHandler,
  type ErrorTransformer,
  type RJSFSchema,
  type RJSFValidationError,
  toErrorSchema,
  type UiSchema,
  unwrapErrorHandler,
  type ValidationData,
  type ValidatorType,
  validationDataMerge,
} from '@rjsf/utils';

/** Keywords whose error only says "a part inside did not match": the inner error says what. */
const SUMMARY_KEYWORDS = new Set(['properties', 'items', 'allOf', '$ref', 'patternProperties', 'additionalProperties']);

const compiled = new WeakMap<object, Validator>();
function validatorOf(schema: object): Validator {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = new Validator(schema as never, '2019-09', false);
    compiled.set(schema, validator);
  }
  return validator;
}

/** `#/a/0/b` → `.a.0.b` (rjsf's property path). */
function propertyOf(instanceLocation: string): string {
  const parts = instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean);
  return parts.map((p) => `.${decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~')}`).join('');
}

export function validateAgainst(schema: object, data: unknown): RJSFValidationError[] {
  const result = validatorOf(schema).validate(data);
  if (result.valid) return [];
  const errors: RJSFValidationError[] = [];
  for (const unit of result.errors) {
    let property = propertyOf(unit.instanceLocation);
    let message = unit.error;
    if (unit.keyword === 'required') {
      const missing = /required property "([^"]+)"/.exec(unit.error)?.[1];
      if (missing) {
        property = `${property}.${missing}`;
        message = 'is required';
      }
    } else if (SUMMARY_KEYWORDS.has(unit.keyword) && !/not allowed|additional/i.test(unit.error)) {
      continue;
    }
    message = message.replace(/^Instance /, '').replace(/\.$/, '');
    errors.push({
      name: unit.keyword,
      property,
      message,
      stack: `${property || 'config'} ${message}`,
      schemaPath: unit.keywordLocation,
    });
  }
  return errors;
}

export function createFormValidator(): ValidatorType {
  return {
    validateFormData(
      formData: unknown,
      schema: RJSFSchema,
      customValidate?: CustomValidator,
      transformErrors?: ErrorTransformer,
      uiSchema?: UiSchema,
    ): ValidationData<unknown> {
      let errors = validateAgainst(schema, formData ?? {});
      if (transformErrors) errors = transformErrors(errors, uiSchema);
      const data: ValidationData<unknown> = { errors, errorSchema: toErrorSchema(errors) };
      if (!customValidate) return data;
      const handler = customValidate(formData, createErrorHandler(formData), uiSchema);
      return validationDataMerge(data, unwrapErrorHandler(handler));
    },
    isValid(schema: RJSFSchema, formData: unknown, rootSchema: RJSFSchema): boolean {
      try {
        const withDefinitions =
          rootSchema.$defs || rootSchema.definitions
            ? { ...schema, $defs: rootSchema.$defs, definitions: rootSchema.definitions }
            : schema;
        return new Validator(withDefinitions as never, '2019-09', true).validate(formData).valid;
      } catch {
        return false;
      }
    },
    rawValidation<Result>(schema: RJSFSchema, formData?: unknown) {
      try {
        return { errors: validateAgainst(schema, formData) as Result[] };
      } catch (error) {
        return { validationError: error as Error };
      }
    },
  };
}
