import { describe, expect, it } from 'vitest';
import { listNodeTypes } from '../../../src/nodes/registry.ts';
import type { NodeTypeInfo } from '../api/types.ts';
import { configSchemaOf } from './node-catalog.ts';

const info = (config_schema: unknown): NodeTypeInfo => ({ ...listNodeTypes()[0], config_schema });

describe('configSchemaOf', () => {
  it('hands the form the object schema the catalog declares for a node type', () => {
    const catalog = listNodeTypes();
    const command = catalog.find((type) => type.node_type === 'trigger_command');
    expect(command).toBeDefined();
    const schema = configSchemaOf(command as NodeTypeInfo);
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties as object)).toContain('command_name');
  });

  it('gives a form without fields for a schema that is not an object (any JSON value is allowed)', () => {
    expect(configSchemaOf(info(true))).toEqual({});
    expect(configSchemaOf(info(null))).toEqual({});
    expect(configSchemaOf(info(['not', 'a', 'schema']))).toEqual({});
    expect(configSchemaOf(info(undefined))).toEqual({});
  });
});
