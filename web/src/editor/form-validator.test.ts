import { describe, expect, it } from 'vitest';
import { listNodeTypes } from '../../../src/nodes/registry.ts';
import { formSchema } from './form-schema.ts';
import { createFormValidator } from './form-validator.ts';

const schemas = Object.fromEntries(listNodeTypes().map((t) => [t.node_type, formSchema(t.config_schema)]));
const validator = createFormValidator();

describe('form validator (no code generation)', () => {
  it('puts a missing required field on that field', () => {
    const { errors, errorSchema } = validator.validateFormData({}, schemas.action_chat_message);
    expect(errors.map((e) => e.property)).toContain('.message');
    expect(errorSchema).toMatchObject({ message: { __errors: ['is required'] } });
  });

  it('reports a wrong enum value and a too long string where they are', () => {
    const { errorSchema } = validator.validateFormData(
      { message: 'hi', destination: 'nowhere' },
      schemas.action_chat_message,
    );
    expect(errorSchema).toHaveProperty('destination');
    expect(validator.validateFormData({ message: 'ok' }, schemas.action_chat_message).errors).toEqual([]);
  });

  it('checks nested items and answers isValid for rjsf’s anyOf matching', () => {
    const { errorSchema } = validator.validateFormData({ rules: [{ operator: 'equals' }] }, schemas.condition_if);
    expect(errorSchema).toMatchObject({ rules: { 0: { variable: { __errors: ['is required'] } } } });
    expect(validator.isValid({ type: 'string' }, 'x', {})).toBe(true);
    expect(validator.isValid({ type: 'string' }, 1, {})).toBe(false);
  });
});
