/**
 * @module nodes/data-variable-get
 * Reads a variable (with a default when it is missing) and copies it to `output_variable`.
 */
import { type Static, Type } from '@sinclair/typebox';
import { pathProblems, pathString } from './common-schemas.ts';
import { defineNode } from './node-type.ts';
import { createRenderer } from './render-in-context.ts';

export const DataVariableGetConfigSchema = Type.Object(
  {
    variable_name: pathString({ description: 'path to read' }),
    output_variable: Type.Optional(pathString({ description: 'where to copy the value' })),
    default_value: Type.Optional(Type.Unknown({ description: 'used when the variable is missing; may be a template' })),
  },
  { additionalProperties: false },
);
export type DataVariableGetConfig = Static<typeof DataVariableGetConfigSchema>;

export const dataVariableGet = defineNode<DataVariableGetConfig>({
  type: 'data_variable_get',
  category: 'data',
  description: 'Reads a variable (or default_value when missing) and copies it to output_variable.',
  configSchema: DataVariableGetConfigSchema,
  outputSchema: Type.Unknown({ description: 'the value read (or default_value)' }),
  examples: [{ variable_name: 'user.name', output_variable: 'name', default_value: 'friend' }],
  outputPorts: ['output'],
  hasInput: true,
  effect: 'none',
  validateConfig: (config) => [
    ...pathProblems('variable_name', config.variable_name),
    ...pathProblems('output_variable', config.output_variable),
  ],
  execute(config, _input, ctx) {
    const found = ctx.scope.get(config.variable_name);
    const value = found === undefined ? (createRenderer(ctx).value(config.default_value) ?? null) : found;
    if (found === undefined) ctx.log(`'${config.variable_name}' is missing; using default_value`);
    if (config.output_variable !== undefined) ctx.scope.set(config.output_variable, value);
    return { output: value, ports: ['output'] };
  },
});
