import { describe, expect, it } from 'vitest';
import { listNodeTypes } from '../../../src/nodes/registry.ts';
import { formSchema, uiSchemaFor } from './form-schema.ts';

const schemas = Object.fromEntries(listNodeTypes().map((t) => [t.node_type, t.config_schema]));

describe('form schema', () => {
  it('turns maps into key/value editors and values of any type into text', () => {
    const set = formSchema(schemas.data_variable_set);
    const variables = (set.properties as Record<string, Record<string, unknown>>).variables;
    expect(variables.patternProperties).toBeUndefined();
    expect(variables.additionalProperties).toMatchObject({ type: 'string' });
    expect(variables.type).toBe('object');
  });

  it('gives template and JSONata fields their editors', () => {
    expect(uiSchemaFor(schemas.action_chat_message)).toMatchObject({
      message: { 'ui:widget': 'template' },
      channel_id: { 'ui:widget': 'template' },
    });
    expect(uiSchemaFor(schemas.condition_if)).toMatchObject({ expression: { 'ui:widget': 'jsonata' } });
    expect(uiSchemaFor(schemas.data_transform)).toMatchObject({
      transformations: { additionalProperties: { 'ui:widget': 'jsonata' } },
    });
    expect(uiSchemaFor(schemas.data_variable_set)).toMatchObject({
      variables: { additionalProperties: { 'ui:widget': 'template' } },
    });
  });

  it('picks the workflow a sub-workflow node calls by name, not as a typed id', () => {
    expect(uiSchemaFor(schemas.action_workflow)).toMatchObject({ workflow_id: { 'ui:widget': 'workflow' } });
    expect(uiSchemaFor(schemas.action_chat_message).channel_id).not.toMatchObject({ 'ui:widget': 'workflow' });
  });

  it('renders a union of constants as a select', () => {
    const match = (formSchema(schemas.condition_if).properties as Record<string, Record<string, unknown>>).match;
    expect(match).toMatchObject({ type: 'string', enum: ['all', 'any'], default: 'all' });
    expect(match.anyOf).toBeUndefined();
  });

  it('keeps every node type’s schema renderable (no pattern maps left)', () => {
    for (const [type, schema] of Object.entries(schemas)) {
      expect(JSON.stringify(formSchema(schema)), type).not.toContain('patternProperties');
    }
  });
});
