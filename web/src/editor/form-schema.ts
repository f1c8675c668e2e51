/**
 * @module editor/form-schema
 * A node type's config schema (TypeBox's JSON Schema) made into what rjsf renders well: maps
 * (`patternProperties`) become `additionalProperties` key/value editors, values of any type become
 * text, fields whose description says template or JSONata get those editors, and a field naming
 * a workflow of the entity gets the workflow picker.
 */

type Schema = Record<string, unknown>;
export type UiSchema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isAnything(schema: Schema): boolean {
  return (
    !('type' in schema) && !('anyOf' in schema) && !('oneOf' in schema) && !('const' in schema) && !('enum' in schema)
  );
}

/** A union of constants (TypeBox's literal union) → an enum, which rjsf renders as a select. */
function constantChoices(schema: Schema): Schema | null {
  const list = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => isObject(item) && 'const' in item))
    return null;
  const values = list.map((item) => (item as Schema).const);
  const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
  return { ...rest, type: typeof values[0] === 'number' ? 'number' : 'string', enum: values };
}

export function formSchema(schema: Schema): Schema {
  const choices = constantChoices(schema);
  if (choices) return choices;
  const out: Schema = { ...schema };
  if (isObject(schema.patternProperties)) {
    const values = Object.values(schema.patternProperties);
    delete out.patternProperties;
    if (values.length === 1 && isObject(values[0])) out.additionalProperties = formSchema(values[0]);
    out.type ??= 'object';
  } else if (isObject(schema.additionalProperties)) {
    out.additionalProperties = formSchema(schema.additionalProperties);
  }
  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, isObject(value) ? formSchema(value) : value]),
    );
  }
  if (isObject(schema.items)) out.items = formSchema(schema.items);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) out[key] = list.map((item) => (isObject(item) ? formSchema(item) : item));
  }
  if (isAnything(schema) && !isObject(schema.properties)) {
    return { ...out, type: 'string' };
  }
  return out;
}

function widgetFor(description: string): string | undefined {
  // action_workflow's workflow_id: picked by name rather than typed as an id.
  if (/^a workflow of the same entity/i.test(description)) return 'workflow';
  if (/jsonata|→ expression/i.test(description)) return 'jsonata';
  if (/template/i.test(description)) return 'template';
  return undefined;
}

/** Widgets by field: template and JSONata editors where the schema's description says so. */
export function uiSchemaFor(schema: Schema): UiSchema {
  const ui: UiSchema = {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [key, value] of Object.entries(properties)) {
    if (!isObject(value)) continue;
    const description = typeof value.description === 'string' ? value.description : '';
    const widget = widgetFor(description);
    const valueSchema = isObject(value.patternProperties)
      ? Object.values(value.patternProperties)[0]
      : value.additionalProperties;
    if (isObject(valueSchema) || value.patternProperties) {
      if (widget) ui[key] = { additionalProperties: { 'ui:widget': widget } };
    } else if (isObject(value.items)) {
      ui[key] = { items: uiSchemaFor(value.items) };
    } else if (value.type === 'object' || isObject(value.properties)) {
      ui[key] = uiSchemaFor(value);
    } else if (widget && (value.type === 'string' || isAnything(value))) {
      ui[key] = { 'ui:widget': widget };
    }
  }
  return ui;
}
