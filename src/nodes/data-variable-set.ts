/**
 * @module nodes/data-variable-set
 * Sets variables from templates or literal values. Every value renders against the variables as
 * they were when the node started, so the order of the entries does not matter.
 */
import { Type } from '@sinclair/typebox';
import { pathProblems } from './common-schemas.ts';
import { defineNode } from './node-type.ts';
import { createRenderer } from './render-in-context.ts';

export const DataVariableSetConfigSchema = Type.Object(
  {
    variables: Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.Unknown(), {
      maxProperties: 200,
      description: 'variable name (or path) → template or value',
    }),
  },
  { additionalProperties: false },
);
export interface DataVariableSetConfig {
  readonly variables: Readonly<Record<string, unknown>>;
}

export const dataVariableSet = defineNode<DataVariableSetConfig>({
  type: 'data_variable_set',
  category: 'data',
  description: 'Sets variables to templates or values.',
  configSchema: DataVariableSetConfigSchema,
  outputSchema: Type.Record(Type.String(), Type.Unknown(), {
    description: 'the variables as set (templates rendered)',
  }),
  examples: [{ variables: { greeting: 'Hello, {{ username }}!', count: 1 } }],
  outputPorts: ['output'],
  hasInput: true,
  effect: 'none',
  validateConfig: (config) => Object.keys(config.variables).flatMap((name) => pathProblems(`variables.${name}`, name)),
  execute(config, _input, ctx) {
    const rendered = createRenderer(ctx).value(config.variables) as Record<string, unknown>;
    for (const [name, value] of Object.entries(rendered)) ctx.scope.set(name, value);
    return { output: rendered, ports: ['output'] };
  },
});
